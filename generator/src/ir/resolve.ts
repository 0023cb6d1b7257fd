/**
 * The resolve pass: indexes every global component by `{namespace}name` and points each
 * {@link Ref} at its target. Lookups are by namespace URI, never by prefix (prefixes were
 * resolved where each QName was written, in `parse/context.ts`).
 *
 * Order (as zeep's `Definition.resolve_imports`): schema components first, then messages,
 * portTypes, bindings, and the services' ports. A reference that names nothing is reported at
 * the attribute that wrote it, with the names that exist in that namespace and, when one is
 * close, a "did you mean".
 */
import type { Diagnostics, SourceLocation } from "../diagnostics.ts";
import { compareStrings } from "../diagnostics.ts";
import { BUILTINS, isBuiltinName } from "./builtins.ts";
import type { AttributeDeclaration, BuiltinType, ContractIR, QName, Ref, RefTarget } from "./model.ts";
import { qkey } from "./model.ts";
import { XSD } from "./ns.ts";

const XML_NS = "http://www.w3.org/XML/1998/namespace";

/** The words diagnostics use for each kind of component. */
const NOUNS: Record<keyof RefTarget, [string, string]> = {
  type: ["type", "types"],
  element: ["element", "elements"],
  attribute: ["attribute", "attributes"],
  group: ["group", "groups"],
  attributeGroup: ["attributeGroup", "attributeGroups"],
  message: ["message", "messages"],
  portType: ["portType", "portTypes"],
  binding: ["binding", "bindings"],
};

const builtinNodes = new Map<string, BuiltinType>();

/** The shared node of an XSD built-in type. */
export function builtinType(name: BuiltinType["name"]): BuiltinType {
  let node = builtinNodes.get(name);
  if (node === undefined) {
    node = { kind: "builtin", name };
    builtinNodes.set(name, node);
  }
  return node;
}

/** `xml:lang`, `xml:space`, `xml:base`, `xml:id`: declared by the XML namespace's own schema. */
function xmlAttribute(local: string): AttributeDeclaration | undefined {
  if (!["lang", "space", "base", "id"].includes(local)) return undefined;
  return {
    kind: "attribute",
    name: local,
    ns: XML_NS,
    scope: "global",
    type: { kind: "ref", to: "type", name: { ns: XSD, local: "string" }, source: { file: "", line: 0, column: 0 }, target: builtinType("string") },
    use: "optional",
    default: undefined,
    fixed: undefined,
    documentation: undefined,
    source: { file: "", line: 0, column: 0 },
  };
}

interface Component {
  readonly source: SourceLocation;
}

/** The component tables of a contract. */
export class ComponentIndex {
  readonly #tables = new Map<keyof RefTarget, Map<string, Component>>();
  readonly #namespaces = new Set<string>();

  constructor(ir: ContractIR, diagnostics: Diagnostics) {
    for (const kind of Object.keys(NOUNS) as (keyof RefTarget)[]) this.#tables.set(kind, new Map());
    const add = (kind: keyof RefTarget, ns: string, name: string | undefined, node: Component) => {
      if (name === undefined) return;
      this.#namespaces.add(ns);
      const table = this.#tables.get(kind)!;
      const key = qkey({ ns, local: name });
      const first = table.get(key);
      if (first !== undefined) {
        const f = first.source;
        diagnostics.error(node.source, `duplicate ${NOUNS[kind][0]} ${key}`, `it is also declared at ${f.file}:${f.line}:${f.column}`);
        return;
      }
      table.set(key, node);
    };
    for (const s of ir.schemas) {
      this.#namespaces.add(s.targetNamespace);
      for (const t of s.types) add("type", t.ns, t.name, t);
      for (const e of s.elements) add("element", e.ns, e.name, e);
      for (const a of s.attributes) add("attribute", a.ns, a.name, a);
      for (const g of s.groups) add("group", g.ns, g.name, g);
      for (const g of s.attributeGroups) add("attributeGroup", g.ns, g.name, g);
    }
    for (const d of ir.definitions) {
      this.#namespaces.add(d.targetNamespace);
      for (const m of d.messages) add("message", m.ns, m.name, m);
      for (const p of d.portTypes) add("portType", p.ns, p.name, p);
      for (const b of d.bindings) add("binding", b.ns, b.name, b);
    }
  }

  lookup<K extends keyof RefTarget>(kind: K, name: QName): RefTarget[K] | undefined {
    if (kind === "type" && name.ns === XSD) {
      return (isBuiltinName(name.local) ? builtinType(name.local) : undefined) as RefTarget[K] | undefined;
    }
    if (kind === "attribute" && name.ns === XML_NS) return xmlAttribute(name.local) as RefTarget[K] | undefined;
    return this.#tables.get(kind)!.get(qkey(name)) as RefTarget[K] | undefined;
  }

  /** Local names of one kind of component in one namespace, sorted. */
  namesIn(kind: keyof RefTarget, ns: string): string[] {
    const prefix = `{${ns}}`;
    const names: string[] = [];
    for (const key of this.#tables.get(kind)!.keys()) if (key.startsWith(prefix)) names.push(key.slice(prefix.length));
    return names.sort(compareStrings);
  }

  /** Namespaces that declare a component of this kind with this local name, sorted. */
  namespacesWith(kind: keyof RefTarget, local: string): string[] {
    const out: string[] = [];
    for (const key of this.#tables.get(kind)!.keys()) {
      const close = key.lastIndexOf("}");
      if (key.slice(close + 1) === local) out.push(key.slice(1, close));
    }
    return out.sort(compareStrings);
  }

  hasNamespace(ns: string): boolean {
    return this.#namespaces.has(ns);
  }

  namespaces(): string[] {
    return [...this.#namespaces].sort(compareStrings);
  }
}

/** Resolves every reference; reports each one that names nothing. */
export function resolveRefs(refs: readonly Ref<keyof RefTarget>[], index: ComponentIndex, diagnostics: Diagnostics): void {
  const order: (keyof RefTarget)[] = ["type", "element", "attribute", "group", "attributeGroup", "message", "portType", "binding"];
  for (const kind of order) {
    for (const ref of refs) {
      if (ref.to !== kind) continue;
      const target = index.lookup(kind, ref.name);
      if (target !== undefined) {
        ref.target = target;
        continue;
      }
      const problem = describeMissing(kind, ref.name, index);
      diagnostics.error(ref.source, problem.message, problem.hint);
    }
  }
}

const MAX_LISTED = 40;

function describeMissing(kind: keyof RefTarget, name: QName, index: ComponentIndex): { message: string; hint?: string } {
  const [one, many] = NOUNS[kind];
  if (kind === "type" && name.ns === XSD) {
    const known = Object.keys(BUILTINS).sort(compareStrings);
    const close = closest(name.local, known);
    return {
      message: `no built-in type xs:${name.local} in the XML Schema namespace`,
      hint: close !== undefined ? `did you mean xs:${close}?` : "XSD 1.1 types are not supported",
    };
  }
  const names = index.namesIn(kind, name.ns);
  const key = qkey(name);
  const elsewhere = index.namespacesWith(kind, name.local).filter((ns) => ns !== name.ns);
  const elsewhereHint =
    elsewhere.length === 0
      ? undefined
      : `${elsewhere.map((ns) => qkey({ ns, local: name.local })).join(" and ")} exists; write a prefix bound to ${elsewhere.length === 1 ? "that namespace" : "one of those namespaces"}${name.ns === "" ? " (an unprefixed name takes the default namespace, xmlns=\"...\", and is in no namespace without one)" : ""}`;
  if (names.length === 0) {
    if (elsewhereHint !== undefined) {
      return { message: `no ${one} ${key}; ${name.ns === "" ? "no schema without a target namespace declares it" : `namespace ${name.ns} declares no ${one} named ${name.local}`}`, hint: elsewhereHint };
    }
    if (!index.hasNamespace(name.ns)) {
      const loaded = index.namespaces().filter((n) => n !== "");
      return {
        message: `no ${one} ${key}: no schema or WSDL for namespace ${name.ns === "" ? "(none)" : name.ns} was loaded`,
        hint:
          name.ns === ""
            ? `an unprefixed name takes the default namespace (xmlns="..."), and none is declared here; write a prefix, e.g. tns:${name.local}`
            : `import it (xs:import with a schemaLocation, or wsdl:import); loaded namespaces: ${loaded.join(", ") || "none"}`,
      };
    }
    return { message: `no ${one} ${key}; ${name.ns === "" ? "schemas without a target namespace" : `namespace ${name.ns}`} declare${name.ns === "" ? "" : "s"} no ${many}` };
  }
  const listed = names.length > MAX_LISTED ? `${names.slice(0, MAX_LISTED).join(", ")}, … (${names.length - MAX_LISTED} more)` : names.join(", ");
  const close = closest(name.local, names);
  const hint = close !== undefined ? `did you mean ${close}?` : elsewhereHint;
  return {
    message: `no ${one} ${key}; ${many} in that namespace: ${listed}`,
    ...(hint === undefined ? {} : { hint }),
  };
}

/** A name that differs only by case or by at most two edits, if exactly one is closest. */
function closest(name: string, candidates: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const sameCase = candidates.filter((c) => c.toLowerCase() === lower);
  if (sameCase.length === 1) return sameCase[0];
  const LIMIT = 3;
  let best: string | undefined;
  let bestDistance = LIMIT;
  let tie = false;
  for (const c of candidates) {
    const d = distance(lower, c.toLowerCase(), LIMIT);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
      tie = false;
    } else if (d === bestDistance && d < LIMIT) tie = true;
  }
  return tie ? undefined : best;
}

/** Levenshtein distance, giving up past `limit`. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin >= limit) return limit;
    prev = cur;
  }
  return prev[b.length]!;
}
