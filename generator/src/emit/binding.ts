/**
 * Which port to generate, and whether its binding is one this version supports: SOAP 1.1 or
 * SOAP 1.2, document or rpc style, literal bodies, header blocks (`soap:header`) each one element
 * part, one-way operations. A document-style message is its parts' elements in the Body (none: an
 * empty Body); an rpc-style one is one wrapper element, synthesized here as a global element
 * declaration (see {@link rpcWrapper}), so that everything after this step reads it as it reads a
 * document/literal wrapped message.
 */
import { Diagnostics } from "../diagnostics.ts";
import type {
  Binding,
  BindingMessage,
  BindingOperation,
  ContractIR,
  ComplexType,
  ElementDeclaration,
  ElementReference,
  Message,
  ModelGroup,
  Operation,
  OperationMessage,
  Part,
  Particle,
  Port,
  Schema,
  Service,
} from "../ir/model.ts";
import { deref, nonHttpTransport, qkey } from "../ir/model.ts";

/**
 * Picks the service (the configured one, else the first) and its first port whose binding passes
 * every check; the ports skipped before it get a warning that says why.
 */
export function selectPort(
  ir: ContractIR,
  diagnostics: Diagnostics,
  options: { readonly service: string | undefined; readonly port: string | undefined },
): { service: Service; port: Port; binding: Binding; soapVersion: "1.1" | "1.2"; operations: CheckedOperation[] } | undefined {
  const main = ir.definitions[0]!;
  const services = ir.definitions.flatMap((d) => d.services);
  if (services.length === 0) {
    diagnostics.error(main.source, "the WSDL declares no wsdl:service", "a service with a SOAP port is needed to generate a client and a server");
    return undefined;
  }
  let service = services[0]!;
  if (options.service !== undefined) {
    const found = services.find((s) => s.name === options.service);
    if (found === undefined) {
      diagnostics.error(main.source, `no wsdl:service named ${JSON.stringify(options.service)}`, `services: ${services.map((s) => s.name).join(", ")}`);
      return undefined;
    }
    service = found;
  }
  let ports = service.ports;
  if (options.port !== undefined) {
    ports = ports.filter((p) => p.name === options.port);
    if (ports.length === 0) {
      diagnostics.error(service.source, `service ${service.name} has no port named ${JSON.stringify(options.port)}`, `ports: ${service.ports.map((p) => p.name).join(", ")}`);
      return undefined;
    }
  }
  if (ports.length === 0) {
    diagnostics.error(service.source, `service ${service.name} has no wsdl:port`);
    return undefined;
  }
  // Try each port in order; the first whose binding passes every check wins. The others are
  // skipped with a warning that says why. (A SOAP 1.2 twin of a 1.1 port needs no package of its
  // own: the server answers both versions, and the client takes a soapVersion option.)
  const attempts: { port: Port; problems: Diagnostics; transport: string | undefined }[] = [];
  for (const port of ports) {
    const problems = new Diagnostics();
    // A binding over another transport than HTTP was reported where it is written (parse/wsdl.ts).
    const binding = deref(port.binding);
    const transport = nonHttpTransport(binding.protocol);
    if (transport !== undefined) {
      problems.error(port.source, `its binding ${binding.name} uses transport ${transport}, not SOAP over HTTP`);
      attempts.push({ port, problems, transport });
      continue;
    }
    const checked = checkPort(ir, port, problems);
    if (checked !== undefined && !problems.hasErrors()) {
      for (const a of attempts) {
        const first = a.problems.list.find((d) => d.severity === "error")!;
        diagnostics.warning(a.port.source, `skipped port ${a.port.name}: ${first.message}`, `generating port ${port.name} instead`);
      }
      diagnostics.addAll(problems.list);
      return { service, port, binding: checked.binding, soapVersion: checked.soapVersion, operations: checked.operations };
    }
    attempts.push({ port, problems, transport: undefined });
  }
  if (attempts.every((a) => a.transport !== undefined)) {
    const bindings = [...new Set(attempts.map((a) => deref(a.port.binding).name))];
    const transports = [...new Set(attempts.map((a) => a.transport!))];
    const why =
      bindings.length === 1 ? `the only binding its ports use, ${bindings[0]}, uses transport` : `the only bindings its ports use, ${bindings.join(", ")}, use transport${transports.length === 1 ? "" : "s"}`;
    diagnostics.error(
      service.source,
      `service ${service.name} has no usable port${options.port === undefined ? "" : ` named ${JSON.stringify(options.port)}`}: ${why} ${transports.join(", ")}, not SOAP over HTTP`,
      'the generated client and server speak SOAP over HTTP only (soap:binding transport="http://schemas.xmlsoap.org/soap/http")',
    );
    return undefined;
  }
  // Otherwise the first port that failed for its binding says why.
  diagnostics.addAll(attempts.find((a) => a.transport === undefined)!.problems.list);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Binding checks

/** One part of a message whose Body holds several. */
export interface BodyPart {
  readonly name: string;
  readonly element: ElementDeclaration;
}

export interface CheckedOperation {
  readonly operation: Operation;
  readonly bindingOperation: BindingOperation;
  /** How its messages travel: document/literal, or rpc/literal (a wrapper element synthesized per message). */
  readonly style: "document-literal" | "rpc-literal";
  readonly soapAction: string;
  /** The request's Body element; `undefined`: an empty Body (a message without a body part). */
  readonly inputElement: ElementDeclaration | undefined;
  /** The response's Body element; `undefined`: an empty Body, or no response at all when `oneWay`. */
  readonly outputElement: ElementDeclaration | undefined;
  /** Set instead of `inputElement` when the request's Body holds several parts: each part's element, in order. */
  readonly inputParts: readonly BodyPart[] | undefined;
  readonly outputParts: readonly BodyPart[] | undefined;
  /** The declared faults whose detail is typed (`wsdl:fault` with a one-part message), by name. */
  readonly faults: readonly { readonly name: string; readonly element: ElementDeclaration }[];
  /** A `wsdl:input` without `wsdl:output`: no response. */
  readonly oneWay: boolean;
  /** The header blocks the binding declares (`soap:header`), in binding order. */
  readonly inputHeaders: readonly ElementDeclaration[];
  readonly outputHeaders: readonly ElementDeclaration[];
}

function checkPort(ir: ContractIR, port: Port, d: Diagnostics): { binding: Binding; soapVersion: "1.1" | "1.2"; operations: CheckedOperation[] } | undefined {
  const binding = deref(port.binding);
  const protocol = binding.protocol;
  if (protocol.kind === "other") {
    d.error(binding.source, `binding ${binding.name} is not a SOAP binding${protocol.ns === "" ? "" : ` (${protocol.ns})`}`, "only SOAP 1.1 and SOAP 1.2 bindings (soap:binding, soap12:binding) are supported");
    return undefined;
  }
  const soapVersion = protocol.kind === "soap11" ? "1.1" : "1.2";
  if (port.address !== undefined && port.address.protocol !== protocol.kind) {
    if (port.address.protocol === "other") d.error(port.address.source, `port ${port.name} has a non-SOAP address for a SOAP ${soapVersion} binding`);
    else {
      // Only its location is read: the binding says which SOAP it speaks.
      d.warning(
        port.address.source,
        `port ${port.name} has a SOAP ${port.address.protocol === "soap12" ? "1.2" : "1.1"} address for a SOAP ${soapVersion} binding; read as the binding says, SOAP ${soapVersion}`,
        `write ${soapVersion === "1.1" ? "soap:address" : "soap12:address"} in the namespace of the binding's extensions`,
      );
    }
  }
  const portType = deref(binding.portType);
  const operations: CheckedOperation[] = [];
  const byName = new Map<string, (typeof binding.operations)[number]>();
  for (const bop of binding.operations) {
    if (byName.has(bop.name)) d.error(bop.source, `binding ${binding.name} has two operations named ${bop.name}`, "overloaded operations are not supported");
    byName.set(bop.name, bop);
    if (!portType.operations.some((o) => o.name === bop.name)) {
      d.warning(
        bop.source,
        `binding ${binding.name} has an operation ${bop.name} that portType ${portType.name} does not declare; it is ignored`,
        `portType operations: ${portType.operations.map((o) => o.name).join(", ")}`,
      );
    }
  }
  const seen = new Set<string>();
  for (const op of portType.operations) {
    if (seen.has(op.name)) {
      d.error(op.source, `portType ${portType.name} has two operations named ${op.name}`, "overloaded operations are not supported");
      continue;
    }
    seen.add(op.name);
    // Operations the service starts (WSDL 1.1, 2.4.3 and 2.4.4), or that no message starts: nothing a SOAP client calls.
    if (op.outputFirst) {
      d.warning(
        op.source,
        `operation ${op.name} is a ${op.input === undefined ? "notification" : "solicit-response"} operation (the service sends first); it is skipped`,
        "only operations a client starts (request-response) are generated",
      );
      continue;
    }
    if (op.input === undefined) {
      d.warning(op.source, `operation ${op.name} has neither a wsdl:input nor a wsdl:output, so no message can invoke it; it is skipped`);
      continue;
    }
    const bop = byName.get(op.name);
    if (bop === undefined) {
      d.error(binding.source, `binding ${binding.name} does not bind operation ${op.name} of portType ${portType.name}`);
      continue;
    }
    // The encoding is the deeper reason: an rpc/encoded operation is refused for it, not for its style.
    const encoded = [bop.input, bop.output].find((m) => m?.body !== undefined && m.body.use === "encoded")?.body;
    if (encoded !== undefined) {
      d.error(
        encoded.source,
        `operation ${op.name}: SOAP encoding (use="encoded", SOAP 1.1 section 5) is not supported`,
        "its XML is not what the schema types describe; only literal bodies (use=\"literal\", WS-I Basic Profile) are generated",
      );
      continue;
    }
    const rpc = (bop.style ?? protocol.style ?? "document") === "rpc";
    const input = messageElements(ir, op, bop, op.input, bop.input, "input", rpc, d);
    const output = op.output === undefined ? { body: undefined, parts: undefined, headers: [] } : messageElements(ir, op, bop, op.output, bop.output, "output", rpc, d);
    const faults = typedFaults(op, d);
    if (input === undefined || output === undefined) continue;
    operations.push({
      operation: op,
      bindingOperation: bop,
      style: rpc ? "rpc-literal" : "document-literal",
      soapAction: bop.soapAction ?? "",
      inputElement: input.body,
      outputElement: output.body,
      inputParts: input.parts,
      outputParts: output.parts,
      oneWay: op.output === undefined,
      faults,
      inputHeaders: input.headers,
      outputHeaders: output.headers,
    });
  }
  return { binding, soapVersion, operations };
}

/**
 * The global elements a literal message carries: in document style at most one in the Body (none:
 * an empty Body, WS-I Basic Profile 1.1 R2210) or one per part when it has several; in rpc style
 * always one, the wrapper ({@link rpcWrapper}). And one per `soap:header`, in either style.
 */
function messageElements(
  ir: ContractIR,
  op: Operation,
  bop: BindingOperation,
  om: OperationMessage,
  written: BindingMessage | undefined,
  which: "input" | "output",
  rpc: boolean,
  d: Diagnostics,
): { body: ElementDeclaration | undefined; parts: BodyPart[] | undefined; headers: ElementDeclaration[] } | undefined {
  const bm = literalBindingMessage(op, bop, written, which, d);
  if (bm === undefined) return undefined;
  const headers = headerElements(op, bm, which, d);
  if (headers === undefined) return undefined;
  const message = deref(om.message);
  const parts = bodyParts(bm, message, rpc);
  if (rpc) {
    const wrapper = rpcWrapper(op, bop, which, bm, parts, d);
    if (wrapper === undefined) return undefined;
    // The same name for the wrapper and a global element of the schema: a message could be read as either.
    const twin = ir.schemas.flatMap((s) => s.elements).find((e) => e.name === wrapper.name && e.ns === wrapper.ns);
    if (twin !== undefined) {
      d.error(
        bm.body!.source,
        `operation ${op.name}: the rpc wrapper element {${wrapper.ns}}${wrapper.name} of its ${which} has the name of a global element the schema declares (${twin.source.file}:${twin.source.line}:${twin.source.column}); a message could be read as either`,
        "give soap:body another namespace, or bind the operation in document style with that element",
      );
      return undefined;
    }
    return { body: wrapper, parts: undefined, headers };
  }
  if (parts.length > 1) {
    // Several parts (WS-I Basic Profile R2201 wants one, WSDL 1.1 allows several): one element each, in order.
    const bodyParts: BodyPart[] = [];
    for (const p of parts) {
      const element = partElement(op, p, d);
      if (element !== undefined) bodyParts.push({ name: p.name, element });
    }
    return bodyParts.length === parts.length ? { body: undefined, parts: bodyParts, headers } : undefined;
  }
  const part = parts[0];
  if (part === undefined) return { body: undefined, parts: undefined, headers };
  const element = partElement(op, part, d);
  return element === undefined ? undefined : { body: element, parts: undefined, headers };
}

/**
 * The binding's `wsdl:input` / `wsdl:output` with its `soap:body` (a missing one read as
 * `<soap:body use="literal"/>`, with a warning); `undefined` (reported) when it is not literal or
 * has extensions the generator does not support.
 */
function literalBindingMessage(op: Operation, bop: BindingOperation, written: BindingMessage | undefined, which: "input" | "output", d: Diagnostics): BindingMessage | undefined {
  let bm = written;
  const where = bm?.source ?? bop.source;
  if (bm === undefined || bm.body === undefined) {
    if (bm !== undefined && bm.other.length > 0) {
      d.error(where, `operation ${op.name}: the binding's wsdl:${which} has no soap:body`);
      return undefined;
    }
    if (bm === undefined || bm.headers.length === 0) {
      // Nothing in the binding says otherwise: the SOAP binding's defaults (literal, every part in the Body), as node-soap reads it.
      d.warning(
        where,
        `operation ${op.name}: the binding's wsdl:${which} ${bm === undefined ? "is missing" : "has no soap:body"}; read as <soap:body use="literal"/>, every part of the message in the Body`,
        `write <wsdl:${which}><soap:body use="literal"/></wsdl:${which}> in the binding operation`,
      );
    }
    // Headers without a soap:body: the parts the headers do not take go in the Body, as with a soap:body without parts.
    bm = { kind: which, name: undefined, body: { use: "literal", parts: undefined, namespace: undefined, source: where }, headers: bm?.headers ?? [], other: [], policy: [], source: where };
  }
  const body = bm.body!;
  let ok = true;
  if (body.use !== "literal") {
    d.error(body.source, `operation ${op.name}: use="${body.use}" is not supported yet`, "only literal bodies (use=\"literal\") are generated in this version");
    ok = false;
  }
  for (const other of bm.other) {
    d.error(other.source, `operation ${op.name}: the binding extension ${other.label} is not supported`);
    ok = false;
  }
  return ok ? bm : undefined;
}

/**
 * The parts of `message` that go in the Body: those `soap:body parts=` lists, else every part
 * but those a `soap:header` of this same message takes (WSDL 1.1 3.5, as zeep and WCF read it).
 * In message order; for rpc style (`listedOrder`) in the order `parts=` lists them, as the
 * accessors of a call's parameters are ordered (WSDL 1.1 3.5).
 */
function bodyParts(bm: BindingMessage, message: Message, listedOrder: boolean): readonly Part[] {
  const listed = bm.body?.parts;
  if (listed !== undefined && listedOrder) return [...new Set(listed)].flatMap((name) => message.parts.filter((p) => p.name === name));
  if (listed !== undefined) return message.parts.filter((p) => listed.includes(p.name));
  const inHeaders = new Set(bm.headers.filter((h) => h.message?.target === message && h.part !== undefined).map((h) => h.part!));
  return message.parts.filter((p) => !inHeaders.has(p.name));
}

/** The rpc wrapper elements synthesized so far, per binding operation: one object per message, however often it is asked for. */
const rpcWrappers = new WeakMap<BindingOperation, { input?: ElementDeclaration; output?: ElementDeclaration }>();

/**
 * The wrapper element of an rpc/literal message (WSDL 1.1 section 3.5; WS-I Basic Profile 1.1
 * R2717, R2729, R2735): named after the operation (the request) or the operation + `Response`
 * (the response), in the namespace of `soap:body`'s `namespace` attribute, its content a sequence
 * of one accessor per part in message order (or `soap:body parts=` order): a local element named
 * after the part, in no namespace, of the part's type.
 *
 * It is synthesized as a global element declaration with an anonymous complex type, as the schema
 * would declare it, so that routing, the codec, the client, the server and the emitted types take
 * it as they take a document/literal wrapper. Tolerated, each with a warning: no `namespace` (the
 * wrapper is then in no namespace), and a part that names an element (R2203 wants `type=`), read
 * as that global element in the wrapper, as zeep reads it.
 */
function rpcWrapper(op: Operation, bop: BindingOperation, which: "input" | "output", bm: BindingMessage, parts: readonly Part[], d: Diagnostics): ElementDeclaration | undefined {
  const body = bm.body!;
  const ns = body.namespace ?? "";
  if (body.namespace === undefined) {
    d.warning(
      body.source,
      `operation ${op.name}: the rpc soap:body of its ${which} has no namespace attribute (WS-I Basic Profile R2717 requires one); its wrapper element is read in no namespace`,
      'write namespace="<an absolute URI>" on soap:body',
    );
  } else if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(ns)) {
    d.warning(body.source, `operation ${op.name}: the rpc soap:body namespace ${JSON.stringify(ns)} is not an absolute URI (WS-I Basic Profile R2717); used as written`);
  }
  let ok = true;
  for (const p of parts) {
    if (p.element === undefined && p.type === undefined) ok = false; // (reported where the part is parsed)
    else if (p.element !== undefined) {
      d.warning(
        p.source,
        `operation ${op.name}: part ${p.name} names an element, not a type (rpc style wants type=, WS-I Basic Profile R2203); read as that element ${qkey(p.element.name)} inside the rpc wrapper`,
        'write type="..." naming the type of the accessor',
      );
    }
  }
  if (!ok) return undefined;
  // (The warnings above are made on every call: a port tried and skipped may have asked first.)
  const cached = rpcWrappers.get(bop)?.[which];
  if (cached !== undefined) return cached;
  const name = which === "input" ? op.name : `${op.name}Response`;
  const schema: Schema = {
    kind: "schema",
    targetNamespace: ns,
    elementFormDefault: "unqualified",
    attributeFormDefault: "unqualified",
    source: body.source,
    types: [],
    elements: [],
    attributes: [],
    groups: [],
    attributeGroups: [],
  };
  const wrapper = synthesizedElement({
    name,
    ns,
    scope: "global",
    parent: schema,
    type: undefined,
    documentation: `The rpc/literal ${which === "input" ? "request" : "response"} of operation ${op.name}: one accessor per part of message ${deref((which === "input" ? op.input : op.output)!.message).name}.`,
    source: body.source,
  });
  const particles: Particle[] = [];
  const type: ComplexType = {
    kind: "complexType",
    name: undefined,
    ns,
    parent: wrapper,
    abstract: false,
    mixed: false,
    content: { kind: "particle", particle: parts.length === 0 ? undefined : ({ kind: "sequence", minOccurs: 1, maxOccurs: 1, particles, source: body.source } satisfies ModelGroup) },
    attributes: [],
    anyAttribute: undefined,
    documentation: undefined,
    source: body.source,
  };
  for (const p of parts) {
    if (p.element !== undefined) {
      particles.push({ kind: "elementRef", ref: p.element, minOccurs: 1, maxOccurs: 1, source: p.source } satisfies ElementReference);
      continue;
    }
    particles.push(synthesizedElement({ name: p.name, ns: "", scope: "local", parent: type, type: p.type, documentation: undefined, source: p.source }));
  }
  wrapper.type = type;
  rpcWrappers.set(bop, { ...rpcWrappers.get(bop), [which]: wrapper });
  return wrapper;
}

/**
 * The declared faults whose detail can be typed: a `wsdl:fault` whose message has one part (WS-I
 * Basic Profile R2205: an element). Others stay untyped, with a warning: they reach callers as a
 * `SoapFault` with their detail as XML.
 */
function typedFaults(op: Operation, d: Diagnostics): { name: string; element: ElementDeclaration }[] {
  const out: { name: string; element: ElementDeclaration }[] = [];
  for (const f of op.faults) {
    const message = deref(f.message);
    const name = f.name ?? message.name;
    const untyped = (why: string) => d.warning(f.source, `operation ${op.name}: fault ${name} is not typed (${why}); it reaches callers as a SoapFault with its detail as XML`);
    if (f.message.readAs === "stand-in") continue; // (warned where the reference is written)
    if (message.parts.length !== 1) {
      untyped(`its message ${message.name} has ${message.parts.length} parts, not one`);
      continue;
    }
    if (out.some((o) => o.name === name)) {
      untyped("another fault of the operation has its name");
      continue;
    }
    const element = partElement(op, message.parts[0]!, d);
    if (element === undefined) continue;
    out.push({ name, element });
  }
  return out;
}

/** The elements that stand for document-style parts naming a type, one per part (so the same part is one element). */
const typedPartElements = new WeakMap<Part, ElementDeclaration>();

/**
 * The global element a document-style part names. A part that names a type instead (WS-I Basic
 * Profile R2204 wants `element=`) is read as an element named after the part, in no namespace,
 * of that type, as node-soap and zeep read it (see docs/decisions.md); with a warning.
 */
function partElement(op: Operation, part: Part, d: Diagnostics): ElementDeclaration | undefined {
  if (part.element !== undefined) return deref(part.element);
  if (part.type === undefined) return undefined;
  let element = typedPartElements.get(part);
  if (element === undefined) {
    d.warning(
      part.source,
      `operation ${op.name}: part ${part.name} names a type, not an element (document style wants element=, WS-I Basic Profile R2204); read as an element ${part.name} in no namespace of that type`,
      "write element=\"...\" naming a global element",
    );
    element = synthesizedElement({
      name: part.name,
      ns: "",
      scope: "global",
      parent: { kind: "schema", targetNamespace: "", elementFormDefault: "unqualified", attributeFormDefault: "unqualified", source: part.source, types: [], elements: [], attributes: [], groups: [], attributeGroups: [] },
      type: part.type,
      documentation: undefined,
      source: part.source,
    });
    typedPartElements.set(part, element);
  }
  return element;
}

/** The elements of a binding message's `soap:header`s; their local names key the header values, so they must differ. */
function headerElements(op: Operation, bm: BindingMessage, which: "input" | "output", d: Diagnostics): ElementDeclaration[] | undefined {
  const out: ElementDeclaration[] = [];
  let ok = true;
  for (const h of bm.headers) {
    if (h.message === undefined || h.part === undefined) {
      ok = false;
      continue;
    }
    // A message no file defines stands in empty, with a warning: the header is left out.
    if (h.message.readAs === "stand-in") continue;
    if (h.use !== "literal") {
      d.error(h.source, `operation ${op.name}: a soap:header with use="${h.use}" is not supported`, "only literal headers (use=\"literal\") are generated");
      ok = false;
      continue;
    }
    const message = deref(h.message);
    const part = message.parts.find((p) => p.name === h.part);
    if (part === undefined) {
      d.error(h.source, `operation ${op.name}: soap:header names part ${h.part} of message ${message.name}, which has no such part`, `parts: ${message.parts.map((p) => p.name).join(", ") || "none"}`);
      ok = false;
      continue;
    }
    const element = partElement(op, part, d);
    if (element === undefined) {
      ok = false;
      continue;
    }
    const twin = out.find((e) => e.name === element.name);
    if (twin === element) continue;
    if (twin !== undefined) {
      d.error(h.source, `operation ${op.name}: two header blocks of the ${which} share the local name ${element.name} ({${twin.ns}} and {${element.ns}}), which is not supported`, "header values are keyed by local name");
      ok = false;
      continue;
    }
    out.push(element);
  }
  return ok ? out : undefined;
}

/**
 * Every rpc/literal wrapper element the contract's SOAP bindings make (every binding's, not only
 * the generated port's), with the parts each holds, as {@link selectPort} synthesizes them; for
 * the libxml2 oracle (`validate.ts`), which declares them so that it judges rpc messages as the
 * generator reads them. Nothing is reported here: generation reports what is wrong.
 */
export function rpcWrapperElements(ir: ContractIR): { readonly element: ElementDeclaration; readonly parts: readonly Part[] }[] {
  const quiet = new Diagnostics();
  const out: { element: ElementDeclaration; parts: readonly Part[] }[] = [];
  for (const binding of ir.definitions.flatMap((def) => def.bindings)) {
    const portType = binding.portType.target;
    // (A binding over another transport than HTTP is skipped, its wrappers with it.)
    if (binding.protocol.kind === "other" || nonHttpTransport(binding.protocol) !== undefined || portType === undefined) continue;
    for (const bop of binding.operations) {
      if ((bop.style ?? binding.protocol.style ?? "document") !== "rpc") continue;
      const op = portType.operations.find((o) => o.name === bop.name);
      if (op === undefined || op.outputFirst) continue;
      for (const which of ["input", "output"] as const) {
        const message = op[which]?.message.target;
        if (message === undefined) continue;
        const bm = literalBindingMessage(op, bop, bop[which], which, quiet);
        if (bm === undefined) continue;
        const parts = bodyParts(bm, message, true);
        const element = rpcWrapper(op, bop, which, bm, parts, quiet);
        if (element !== undefined) out.push({ element, parts });
      }
    }
  }
  return out;
}

/** An element declaration the generator makes itself (no schema writes it): exactly one occurrence, not nillable, not abstract, no value constraint. */
function synthesizedElement(
  e: Pick<ElementDeclaration, "name" | "ns" | "scope" | "parent" | "type" | "documentation" | "source">,
): { -readonly [K in keyof ElementDeclaration]: ElementDeclaration[K] } {
  return { kind: "element", ...e, minOccurs: 1, maxOccurs: 1, nillable: false, abstract: false, substitutionGroup: undefined, default: undefined, fixed: undefined };
}
