/**
 * `src/meta.ts`: the descriptors the runtime reads, one readable builder call per type, Body
 * element and operation, then the service. Type references are thunks (`() => OrderLineMeta`),
 * so declarations can stay in name order whatever refers to what. The WSDL's WS-SecurityPolicy,
 * when it has one, is one private `SecurityPolicy` constant per distinct policy, referred to by
 * the service (`security`) and by operations whose messages add to it (`inputSecurity`,
 * `outputSecurity`).
 */
import type { Facets } from "@mpay-kit/runtime";
import { propertyKey } from "../ir/names.ts";
import { paragraphs } from "./docs.ts";
import { GeneratedFile } from "./file.ts";
import { bodyStyles, narrowedDerived, faultsTsType, propertyOf, headersTsType, inputTsType, outputTsType, referencedNames, type ContractModel, type OperationModel, type Decl, type Member, type SecurityConst, type TypeUse } from "./model.ts";
import type { RuntimeSymbol } from "./symbols.ts";

/** Imports what a type expression names: declarations from `./types.ts`, value types from the runtime. */
export function importTypes(f: GeneratedFile, use: TypeUse): void {
  const { local, runtime } = referencedNames(use);
  for (const name of local) f.local("./types.ts", name, true);
  for (const name of runtime) f.runtime(name as RuntimeSymbol);
}

/** Imports every type an operation's signatures name: its Body elements' and its header blocks' (and its fault details', for its descriptor). */
export function importOperationTypes(f: GeneratedFile, op: OperationModel, faults = false): void {
  const parts = [...(op.inputParts ?? []), ...(op.outputParts ?? []), ...(faults ? op.typedFaults : [])].map((p) => p.element);
  for (const e of [op.input, op.output, ...parts, ...op.inputHeaders, ...op.outputHeaders]) {
    if (e === undefined) continue;
    // An abstract Body element's value is one of its substitutes' (its own type is named only when it stands itself).
    if (e.abstract !== true) importTypes(f, e.type);
    for (const s of e.substitutes ?? []) importTypes(f, s.element.type);
  }
}

export function emitMeta(model: ContractModel, preamble: string): GeneratedFile {
  const f = new GeneratedFile("src/meta.ts", preamble);
  const typeRef = (use: TypeUse): string => {
    if (use.kind === "builtin") return use.name === "anyType" ? `${f.runtime("anyType")}()` : `${f.runtime("builtin")}(${JSON.stringify(use.name)})`;
    return use.decl.metaName;
  };
  const elementCall = (m: Member): string => {
    const options: string[] = [];
    if (m.minOccurs !== 1) options.push(`minOccurs: ${m.minOccurs}`);
    if (m.maxOccurs !== 1) options.push(`maxOccurs: ${m.maxOccurs === Infinity ? "Infinity" : m.maxOccurs}`);
    if (m.nillable) options.push("nillable: true");
    if (m.default !== undefined) options.push(`default: ${JSON.stringify(m.default)}`);
    if (m.fixed !== undefined) options.push(`fixed: ${JSON.stringify(m.fixed)}`);
    if (m.group === true) options.push("group: true");
    if (m.property !== undefined) options.push(`member: ${JSON.stringify(m.property)}`);
    if (m.substitutes !== undefined) {
      options.push(`substitutes: () => [${m.substitutes.map((s) => `{ name: ${JSON.stringify(s.name)}, element: ${s.element.constName} }`).join(", ")}]`);
      if (m.abstract === true) options.push("abstract: true");
    }
    const narrowed = narrowedDerived(m.type);
    if (narrowed !== undefined) options.push(`derived: () => [${narrowed.map((t) => t.metaName).join(", ")}]`);
    const tail = options.length === 0 ? "" : `, { ${options.join(", ")} }`;
    return `${f.runtime("element")}(${JSON.stringify(m.name)}, ${JSON.stringify(m.ns)}, () => ${typeRef(m.type)}${tail})`;
  };
  const attributeCall = (m: Member): string => {
    const options: string[] = [];
    if (m.minOccurs === 1) options.push("required: true");
    if (m.default !== undefined) options.push(`default: ${JSON.stringify(m.default)}`);
    if (m.fixed !== undefined) options.push(`fixed: ${JSON.stringify(m.fixed)}`);
    if (m.property !== undefined) options.push(`member: ${JSON.stringify(m.property)}`);
    const tail = options.length === 0 ? "" : `, { ${options.join(", ")} }`;
    return `${f.runtime("attribute")}(${JSON.stringify(m.name)}, ${JSON.stringify(m.ns)}, () => ${typeRef(m.type)}${tail})`;
  };
  const simpleCall = (d: Decl & { builtin: string; facets: Facets }, enumeration: string | undefined): string => {
    const entries: string[] = [];
    for (const [k, v] of Object.entries(d.facets) as [keyof Facets, Facets[keyof Facets]][]) {
      if (k === "enumeration") {
        if (enumeration !== undefined) entries.push(`enumeration: ${enumeration}`);
        else entries.push(`enumeration: ${JSON.stringify(v)}`);
      } else entries.push(`${k}: ${JSON.stringify(v)}`);
    }
    const facets = entries.length === 0 ? "" : `, { ${entries.join(", ")} }`;
    const members = "members" in d ? (d.members as readonly TypeUse[] | undefined) : undefined;
    if (members !== undefined) return `${f.runtime("unionType")}(${JSON.stringify(d.label)}, () => [${members.map(typeRef).join(", ")}]${facets})`;
    const item = "item" in d ? (d.item as TypeUse | undefined) : undefined;
    if (item !== undefined) return `${f.runtime("listType")}(${JSON.stringify(d.label)}, () => ${typeRef(item)}${facets})`;
    return `${f.runtime("simpleType")}(${JSON.stringify(d.label)}, ${JSON.stringify(d.builtin)}${facets})`;
  };

  for (const d of model.decls) {
    switch (d.kind) {
      case "complex": {
        const elementMembers = d.members.filter((m) => m.kind === "element");
        const elements = elementMembers.map(elementCall);
        const attributes = d.members.filter((m) => m.kind === "attribute").map(attributeCall);
        const optionList = attributes.length === 0 ? [] : [`attributes: [${attributes.join(", ")}]`];
        if (d.simpleContent !== undefined) optionList.push(`simpleContent: () => ${typeRef(d.simpleContent)}`);
        if (d.family && d.node.name !== undefined) {
          optionList.push(`typeName: { ns: ${JSON.stringify(d.node.ns)}, local: ${JSON.stringify(d.node.name)}, ts: ${JSON.stringify(d.name)} }`);
          if (d.abstract) optionList.push("abstract: true");
          if (d.derived.length > 0) optionList.push(`derived: () => [${d.derived.map((t) => t.metaName).join(", ")}]`);
        }
        if (d.unordered) optionList.push("unordered: true");
        if (d.wildcard !== undefined) {
          const w = d.wildcard;
          optionList.push(`wildcard: ${literal({ ...w, maxOccurs: 0 }).replace("maxOccurs: 0", `maxOccurs: ${w.maxOccurs === Infinity ? "Infinity" : w.maxOccurs}`)}`);
        }
        if (d.moreWildcards.length > 0) {
          const wildcardLiteral = (w: (typeof d.moreWildcards)[number]) => literal({ ...w, maxOccurs: 0 }).replace("maxOccurs: 0", `maxOccurs: ${w.maxOccurs === Infinity ? "Infinity" : w.maxOccurs}`);
          optionList.push(`moreWildcards: [${d.moreWildcards.map(wildcardLiteral).join(", ")}]`);
        }
        if (d.choices.length > 0) {
          const index = (name: string) => elementMembers.findIndex((m) => propertyOf(m) === name);
          const choice = (c: (typeof d.choices)[number]) =>
            `{ required: ${c.required}${c.repeated === true ? ", repeated: true" : ""}, branches: [${c.branches.map((b) => `{ members: [${b.members.map(index).join(", ")}], required: [${b.required.map(index).join(", ")}]${b.wildcard === true ? ", wildcard: true" : ""}${b.wildcardIndex === undefined ? "" : `, wildcardIndex: ${b.wildcardIndex}`} }`).join(", ")}] }`;
          optionList.push(`choices: [${d.choices.map(choice).join(", ")}]`);
        }
        if (d.mixed) optionList.push("mixed: true");
        if (d.anyAttribute !== undefined) {
          const w = d.anyAttribute;
          const declared = w.declared.length === 0 ? "" : `, declared: () => [${w.declared.map(attributeCall).join(", ")}]`;
          optionList.push(`anyAttribute: { namespaces: ${literal(w.namespaces)}, processContents: ${JSON.stringify(w.processContents)}${declared} }`);
        }
        const options = optionList.length === 0 ? "" : `, { ${optionList.join(", ")} }`;
        f.constant({
          name: d.metaName,
          exported: true,
          docs: `Descriptor of {@link ${d.name}}.`,
          initializer: `${f.runtime("complexType")}(${JSON.stringify(d.label)}, [${elements.join(", ")}]${options})`,
        });
        break;
      }
      case "array":
        f.constant({
          name: d.metaName,
          exported: true,
          docs: `Descriptor of complexType \`${d.label}\`: a list shown as an array of its ${d.item.name} items.`,
          initializer: `${f.runtime("complexType")}(${JSON.stringify(d.label)}, [${elementCall(d.item)}], { arrayItem: 0 })`,
        });
        break;
      case "enum":
        f.constant({
          name: d.metaName,
          exported: true,
          docs: `Descriptor of {@link ${d.name}}.`,
          initializer: simpleCall(d, f.local("./types.ts", d.valuesName, false)),
        });
        break;
      case "alias":
        f.constant({ name: d.metaName, exported: true, docs: `Descriptor of {@link ${d.name}}.`, initializer: simpleCall(d, undefined) });
        break;
      case "inline":
        f.constant({ name: d.metaName, exported: false, docs: `Descriptor of the ${d.label}.`, initializer: simpleCall(d, undefined) });
        break;
    }
  }

  for (const e of model.elements) {
    const narrowed = narrowedDerived(e.type);
    const optionList = [...(e.nillable ? ["nillable: true"] : []), ...(narrowed === undefined ? [] : [`derived: () => [${narrowed.map((t) => t.metaName).join(", ")}]`])];
    if (e.substitutes !== undefined) optionList.push(`substitutes: () => [${e.substitutes.map((s) => `{ name: ${JSON.stringify(s.name)}, element: ${s.element.constName} }`).join(", ")}]`);
    if (e.abstract === true) optionList.push("abstract: true");
    const options = optionList.length === 0 ? "" : `, { ${optionList.join(", ")} }`;
    f.constant({
      name: e.constName,
      exported: true,
      docs: paragraphs(`Descriptor of element \`{${e.ns}}${e.name}\`.`, e.documentation),
      initializer: `${f.runtime("element")}(${JSON.stringify(e.name)}, ${JSON.stringify(e.ns)}, () => ${typeRef(e.type)}${options})`,
    });
  }

  const securityNames = new Map<unknown, string>();
  for (const c of model.security) {
    securityNames.set(c.policy, c.name);
    f.constant({
      name: c.name,
      exported: false,
      docs: c.port
        ? `Message security that the WSDL's WS-SecurityPolicy asks of every message of port ${model.service.port} (the policy of the port, its binding and its portType), unless an operation's or a message's policy adds to it.`
        : `Message security that the WSDL's WS-SecurityPolicy asks of ${usedBy(c.usedBy)}: the port's policy and what their operation's and message's policies add.`,
      type: f.runtime("SecurityPolicy"),
      initializer: literal(c.policy),
    });
  }
  const securityName = (policy: object): string => {
    const name = securityNames.get(policy);
    if (name === undefined) throw new Error("internal error: a security policy without its constant");
    return name;
  };

  const ops = model.operations.map((op) => {
    importOperationTypes(f, op, true);
    const inHeaders = headersTsType(op.inputHeaders);
    const outHeaders = headersTsType(op.outputHeaders);
    const faults = faultsTsType(op);
    const typeArguments = [
      inputTsType(op),
      outputTsType(op),
      ...(inHeaders === undefined && outHeaders === undefined && faults === undefined ? [] : [inHeaders ?? "unknown", outHeaders ?? "unknown"]),
      ...(faults === undefined ? [] : [faults]),
    ];
    const fields = [
      `name: ${JSON.stringify(op.name)}`,
      `soapAction: ${JSON.stringify(op.soapAction)}`,
      `style: ${JSON.stringify(op.style === "rpc-literal" ? "rpc-literal" : "document-literal-wrapped")}`,
      ...(op.input === undefined ? [] : [`input: ${op.input.constName}`]),
      ...(op.output === undefined ? [] : [`output: ${op.output.constName}`]),
      ...(op.inputParts === undefined ? [] : [`inputParts: [${op.inputParts.map((p) => `{ part: ${JSON.stringify(p.name)}, element: ${p.element.constName} }`).join(", ")}]`]),
      ...(op.outputParts === undefined ? [] : [`outputParts: [${op.outputParts.map((p) => `{ part: ${JSON.stringify(p.name)}, element: ${p.element.constName} }`).join(", ")}]`]),
      ...(op.oneWay ? ["oneWay: true"] : []),
      ...(op.typedFaults.length === 0 ? [] : [`faults: [${op.typedFaults.map((f) => `{ name: ${JSON.stringify(f.name)}, element: ${f.element.constName} }`).join(", ")}]`]),
      ...(op.inputHeaders.length === 0 ? [] : [`inputHeaders: [${op.inputHeaders.map((h) => h.constName).join(", ")}]`]),
      ...(op.outputHeaders.length === 0 ? [] : [`outputHeaders: [${op.outputHeaders.map((h) => h.constName).join(", ")}]`]),
      ...(op.inputAction === undefined ? [] : [`inputAction: ${JSON.stringify(op.inputAction)}`]),
      ...(op.outputAction === undefined ? [] : [`outputAction: ${JSON.stringify(op.outputAction)}`]),
      ...(op.documentation === undefined ? [] : [`documentation: ${JSON.stringify(op.documentation)}`]),
      ...(op.inputSecurity === undefined ? [] : [`inputSecurity: ${securityName(op.inputSecurity)}`]),
      ...(op.outputSecurity === undefined ? [] : [`outputSecurity: ${securityName(op.outputSecurity)}`]),
    ];
    return `${propertyKey(op.name)}: ${f.runtime("operation")}<${typeArguments.join(", ")}>({ ${fields.join(", ")} })`;
  });
  f.constant({
    name: model.names.operations,
    exported: true,
    docs: `The operations of port ${model.service.port}, by name, in the portType's order.`,
    initializer: `{ ${ops.join(", ")} }`,
  });
  const documents = f.local("./documents.ts", model.names.documents, false);
  f.constant({
    name: model.names.service,
    exported: true,
    docs: paragraphs(
      `Service ${model.service.name}, port ${model.service.port}: SOAP ${model.service.soapVersion}, ${bodyStyles(model)}.`,
      model.service.documentation,
      "Pass it to `SoapClient` / `createSoapRequestHandler`, or use the generated client class and handler factory.",
    ),
    initializer: `${f.runtime("service")}({ ${[
      `name: ${JSON.stringify(model.service.name)}`,
      `port: ${JSON.stringify(model.service.port)}`,
      `namespace: ${JSON.stringify(model.namespace)}`,
      `soapVersion: ${JSON.stringify(model.service.soapVersion)}`,
      `address: ${JSON.stringify(model.service.address)}`,
      model.names.operations === "operations" ? "operations" : `operations: ${model.names.operations}`,
      documents === "documents" ? "documents" : `documents: ${documents}`,
      ...(model.service.security === undefined ? [] : [`security: ${securityName(model.service.security)}`]),
    ].join(", ")} })`,
  });
  return f;
}

/** A TypeScript literal of plain data (strings, numbers, booleans, arrays, objects with identifier keys). */
function literal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(literal).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${propertyKey(k)}: ${literal(v)}`)
      .join(", ")} }`;
  }
  return JSON.stringify(value);
}

/** `the requests and responses of A and B, and the requests of C`. */
function usedBy(uses: SecurityConst["usedBy"]): string {
  const directions = new Map<string, Set<string>>();
  for (const u of uses) {
    let set = directions.get(u.operation);
    if (set === undefined) directions.set(u.operation, (set = new Set()));
    set.add(u.direction);
  }
  const groups = new Map<string, string[]>();
  for (const [operation, set] of directions) {
    const what = set.size === 2 ? "requests and responses" : [...set][0]!;
    groups.set(what, [...(groups.get(what) ?? []), operation]);
  }
  return joinWords([...groups].map(([what, operations]) => `the ${what} of ${joinWords(operations)}`));
}

/** `a`, `a and b`, `a, b and c`. */
function joinWords(words: readonly string[]): string {
  return words.length <= 1 ? words.join("") : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}
