/**
 * WSDL 1.1 → IR (WSDL 1.1 W3C Note, sections 2 and 3), with the SOAP 1.1 binding extensions
 * (section 3), the SOAP 1.2 binding extensions (recognised, to report them) and WS-Addressing
 * `Action` attributes on portType messages.
 *
 * WS-Policy attached to messages, portTypes, bindings, their operations and messages, and ports
 * is read by `policy.ts`. Other extension elements the generator does not know are skipped,
 * unless they carry `wsdl:required="true"`, which WSDL 1.1 (2.1.3) says a processor must not ignore.
 */
import type { XmlElement } from "@mpay-kit/runtime";
import type { Diagnostics } from "../diagnostics.ts";
import type { LoadedContract } from "../load/load.ts";
import { attr, attrNS, children, writtenName } from "../load/xml.ts";
import type {
  Binding,
  BindingMessage,
  BindingOperation,
  BindingProtocol,
  Definitions,
  Message,
  Operation,
  OperationMessage,
  Part,
  Port,
  PortType,
  Ref,
  RefTarget,
  Service,
} from "../ir/model.ts";
import { nonHttpTransport } from "../ir/model.ts";
import { HTTP_BINDING, SOAP11_BINDING, SOAP12_BINDING, WSAM, WSAW, WSDL } from "../ir/ns.ts";
import { absentRef, at, compareDefinitions, documentation, dropDuplicates, noteOrigin, refFrom, requiredName, type ParseContext } from "./context.ts";
import { isPolicyExtension, policyAttachments, policyDefinitions } from "./policy.ts";

/** Parses the `wsdl:definitions` of every WSDL document of a loaded contract, main first. */
export function parseDefinitions(loaded: LoadedContract, diagnostics: Diagnostics, refs: Ref<keyof RefTarget>[]): Definitions[] {
  const out: Definitions[] = [];
  for (const doc of loaded.documents) {
    if (doc.kind !== "wsdl") continue;
    const tns = attr(doc.source.root, "targetNamespace") ?? "";
    out.push(visitDefinitions({ loaded, doc, diagnostics, chameleon: undefined, targetNamespace: tns, refs }, doc.source.root));
  }
  skipNonHttpBindings(out, diagnostics);
  // One definition per name and kind across the contract's WSDL documents (load order: the first wins).
  const messages = new Map<string, Message>();
  const portTypes = new Map<string, PortType>();
  const bindings = new Map<string, Binding>();
  for (const d of out) {
    dropDuplicates(d.messages as Message[], "message", messages, diagnostics);
    dropDuplicates(d.portTypes as PortType[], "portType", portTypes, diagnostics);
    dropDuplicates(d.bindings as Binding[], "binding", bindings, diagnostics);
  }
  return out;
}

/**
 * Reports each SOAP binding over another transport than HTTP (WCF's net.tcp, JMS): it is skipped,
 * and so are the ports that use it (emit/binding.ts). One that shares its name with a SOAP-over-HTTP
 * binding is no duplicate of it: it is dropped here, and that binding is the one the name means
 * (zeep's reading: it skips bindings of a transport it does not know, and keeps the other).
 */
function skipNonHttpBindings(definitions: readonly Definitions[], diagnostics: Diagnostics): void {
  const overHttp = new Map<string, Binding>();
  for (const b of definitions.flatMap((d) => d.bindings)) {
    const key = `{${b.ns}}${b.name}`;
    if (b.protocol.kind !== "other" && nonHttpTransport(b.protocol) === undefined && !overHttp.has(key)) overHttp.set(key, b);
  }
  for (const d of definitions) {
    const list = d.bindings as Binding[];
    let kept = 0;
    for (const b of list) {
      const transport = nonHttpTransport(b.protocol);
      if (transport === undefined || b.protocol.kind === "other") {
        list[kept++] = b;
        continue;
      }
      const where = b.protocol.transportSource ?? b.source;
      const twin = overHttp.get(`{${b.ns}}${b.name}`);
      if (twin === undefined) {
        diagnostics.warning(where, `binding ${b.name} uses transport ${transport}, not SOAP over HTTP; it is skipped, and so are the ports that use it`, "the generated client and server speak SOAP over HTTP only");
        list[kept++] = b;
      } else {
        const { file, line, column } = twin.source;
        diagnostics.warning(
          where,
          `binding ${b.name} uses transport ${transport}, not SOAP over HTTP; it is skipped, and the binding of that name at ${file}:${line}:${column}, SOAP over HTTP, is the one its ports use`,
          "give the two bindings different names",
        );
      }
    }
    list.length = kept;
  }
}

/** Reports a required extension element (`wsdl:required="true"`) the generator does not understand. */
function checkExtension(ctx: ParseContext, el: XmlElement): void {
  if (isPolicyExtension(el)) return;
  const required = attrNS(el, WSDL, "required");
  if (required === "true" || required === "1") {
    ctx.diagnostics.error(at(ctx, el), `the required extension {${el.ns}}${el.local} is not supported`);
  }
}

/**
 * `wsdl:definitions` (2.1):
 * ```
 * <wsdl:definitions name? targetNamespace?>
 *   <wsdl:import namespace location/>*  <wsdl:documentation/>?  <wsdl:types/>?
 *   <wsdl:message/>*  <wsdl:portType/>*  <wsdl:binding/>*  <wsdl:service/>*  <-- extensibility element -->*
 * </wsdl:definitions>
 * ```
 */
function visitDefinitions(ctx: ParseContext, el: XmlElement): Definitions {
  const tns = attr(el, "targetNamespace") ?? "";
  const messages: Message[] = [];
  const portTypes: PortType[] = [];
  const bindings: Binding[] = [];
  const services: Service[] = [];
  for (const c of children(el)) {
    if (c.ns !== WSDL) {
      checkExtension(ctx, c);
      continue;
    }
    switch (c.local) {
      case "import":
      case "types":
      case "documentation":
        break;
      case "message": {
        const m = visitMessage(ctx, c, tns);
        if (m !== undefined) messages.push(m);
        if (m !== undefined) noteOrigin(ctx, m, c);
        break;
      }
      case "portType": {
        const p = visitPortType(ctx, c, tns);
        if (p !== undefined) portTypes.push(p);
        if (p !== undefined) noteOrigin(ctx, p, c);
        break;
      }
      case "binding": {
        const b = visitBinding(ctx, c, tns);
        if (b !== undefined) bindings.push(b);
        if (b !== undefined) noteOrigin(ctx, b, c);
        break;
      }
      case "service": {
        const s = visitService(ctx, c, tns);
        if (s !== undefined) services.push(s);
        break;
      }
      default:
        ctx.diagnostics.error(at(ctx, c), `unexpected element wsdl:${c.local} in wsdl:definitions`);
    }
  }
  return {
    kind: "definitions",
    name: attr(el, "name"),
    targetNamespace: tns,
    documentation: documentation(el, WSDL),
    messages,
    portTypes,
    bindings,
    services,
    policies: policyDefinitions(ctx, el),
    source: at(ctx, el),
  };
}

/**
 * `wsdl:message` (2.3):
 * ```
 * <wsdl:message name>  <wsdl:part name element? type?/>*  </wsdl:message>
 * ```
 */
function visitMessage(ctx: ParseContext, el: XmlElement, tns: string): Message | undefined {
  const name = requiredName(ctx, el);
  if (name === undefined) return undefined;
  const parts: Part[] = [];
  for (const c of children(el)) {
    if (c.ns !== WSDL || c.local !== "part") continue;
    const partName = requiredName(ctx, c);
    if (partName === undefined) continue;
    const element = refFrom(ctx, c, "element", "element");
    const type = refFrom(ctx, c, "type", "type");
    // (A malformed QName was reported where it is written.)
    if (attr(c, "element") === undefined && attr(c, "type") === undefined) ctx.diagnostics.error(at(ctx, c), `part ${partName} has neither an element nor a type attribute`);
    parts.push({ kind: "part", name: partName, element, type, source: at(ctx, c) });
  }
  return { kind: "message", name, ns: tns, parts, policy: policyAttachments(ctx, el), source: at(ctx, el) };
}

/**
 * `wsdl:portType` (2.4):
 * ```
 * <wsdl:portType name>
 *   <wsdl:operation name parameterOrder?>
 *     <wsdl:input name? message wsaw:Action?/>  <wsdl:output name? message wsaw:Action?/>  <wsdl:fault name message/>*
 *   </wsdl:operation>*
 * </wsdl:portType>
 * ```
 */
function visitPortType(ctx: ParseContext, el: XmlElement, tns: string): PortType | undefined {
  const name = requiredName(ctx, el);
  if (name === undefined) return undefined;
  const operations: Operation[] = [];
  for (const c of children(el)) {
    if (c.ns !== WSDL || c.local !== "operation") continue;
    const opName = requiredName(ctx, c);
    if (opName === undefined) continue;
    let input: OperationMessage | undefined;
    let output: OperationMessage | undefined;
    let outputFirst = false;
    const faults: OperationMessage[] = [];
    for (const m of children(c)) {
      if (m.ns !== WSDL || (m.local !== "input" && m.local !== "output" && m.local !== "fault")) continue;
      const message = refFrom(ctx, m, "message", "message");
      if (message === undefined) {
        if (attr(m, "message") === undefined) ctx.diagnostics.error(at(ctx, m), `wsdl:${m.local} of operation ${opName} has no message attribute`);
        continue;
      }
      const om: OperationMessage = {
        kind: m.local,
        name: attr(m, "name"),
        message,
        action: attrNS(m, WSAW, "Action") ?? attrNS(m, WSAM, "Action"),
        policy: policyAttachments(ctx, m),
        source: at(ctx, m),
      };
      if (m.local === "input") input = om;
      else if (m.local === "output") {
        if (input === undefined) outputFirst = true;
        output = om;
      } else faults.push(om);
    }
    operations.push({
      kind: "operation",
      name: opName,
      portType: name,
      input,
      output,
      faults,
      outputFirst,
      documentation: documentation(c, WSDL),
      policy: policyAttachments(ctx, c),
      source: at(ctx, c),
    });
  }
  return { kind: "portType", name, ns: tns, operations, documentation: documentation(el, WSDL), policy: policyAttachments(ctx, el), source: at(ctx, el) };
}

function style(ctx: ParseContext, el: XmlElement): "document" | "rpc" | undefined {
  const v = attr(el, "style");
  if (v === undefined) return undefined;
  if (v === "document" || v === "rpc") return v;
  ctx.diagnostics.error(at(ctx, el, "style"), `style must be document or rpc, not ${JSON.stringify(v)}`);
  return undefined;
}

/**
 * `wsdl:binding` (2.5) with the SOAP binding extensions (3.3 - 3.7):
 * ```
 * <wsdl:binding name type>
 *   <soap:binding style? transport/>
 *   <wsdl:operation name>
 *     <soap:operation soapAction? style?/>
 *     <wsdl:input> <soap:body parts? use namespace?/> <soap:header .../>* </wsdl:input>
 *     <wsdl:output> ... </wsdl:output>  <wsdl:fault name> <soap:fault name use/> </wsdl:fault>*
 *   </wsdl:operation>*
 * </wsdl:binding>
 * ```
 */
function visitBinding(ctx: ParseContext, el: XmlElement, tns: string): Binding | undefined {
  const name = requiredName(ctx, el);
  if (name === undefined) return undefined;
  const typeAttr = attr(el, "type") === undefined ? absentRef(ctx, el, `binding ${name}`, "portType") : undefined;
  // (A malformed QName was reported where it is written.)
  const portType = typeAttr ?? refFrom(ctx, el, "type", "portType");
  if (portType === undefined) return undefined;
  let protocol: BindingProtocol | undefined;
  const operations: BindingOperation[] = [];
  for (const c of children(el)) {
    if ((c.ns === SOAP11_BINDING || c.ns === SOAP12_BINDING) && c.local === "binding") {
      const transport = attr(c, "transport");
      protocol = {
        kind: c.ns === SOAP11_BINDING ? "soap11" : "soap12",
        style: style(ctx, c),
        transport,
        transportSource: transport === undefined ? undefined : at(ctx, c, "transport"),
      };
    }
    else if (c.ns === WSDL && c.local === "operation") {
      const op = visitBindingOperation(ctx, c);
      if (op === undefined) continue;
      noteOrigin(ctx, op, c);
      // The same operation written twice, equal but for documentation and whitespace, says one
      // thing (zeep and node-soap keep one, silently); one that differs is an overload (emit/binding.ts refuses it).
      const twin = operations.find((o) => o.name === op.name && compareDefinitions(o, op) === "same");
      if (twin === undefined) operations.push(op);
      else {
        const { file, line, column } = twin.source;
        ctx.diagnostics.warning(op.source, `binding ${name} defines operation ${op.name} twice, equal to the one at ${file}:${line}:${column}; read once`, "remove the copy");
      }
    } else if (c.ns !== WSDL) {
      if (protocol === undefined && c.local === "binding") protocol = { kind: "other", ns: c.ns };
      else checkExtension(ctx, c);
    }
  }
  return {
    kind: "binding",
    name,
    ns: tns,
    portType,
    protocol: protocol ?? { kind: "other", ns: "" },
    operations,
    policy: policyAttachments(ctx, el),
    source: at(ctx, el),
  };
}

function visitBindingOperation(ctx: ParseContext, el: XmlElement): BindingOperation | undefined {
  const name = requiredName(ctx, el);
  if (name === undefined) return undefined;
  let soapAction: string | undefined;
  let opStyle: "document" | "rpc" | undefined;
  let input: BindingMessage | undefined;
  let output: BindingMessage | undefined;
  const faults: BindingMessage[] = [];
  for (const c of children(el)) {
    if ((c.ns === SOAP11_BINDING || c.ns === SOAP12_BINDING) && c.local === "operation") {
      soapAction = attr(c, "soapAction");
      opStyle = style(ctx, c);
    } else if (c.ns === WSDL && (c.local === "input" || c.local === "output" || c.local === "fault")) {
      const m = visitBindingMessage(ctx, c, c.local, name);
      if (c.local === "input") input = m;
      else if (c.local === "output") output = m;
      else faults.push(m);
    } else if (c.ns !== WSDL) {
      checkExtension(ctx, c);
    }
  }
  return { kind: "bindingOperation", name, soapAction, style: opStyle, input, output, faults, policy: policyAttachments(ctx, el), source: at(ctx, el) };
}

function visitBindingMessage(ctx: ParseContext, el: XmlElement, kind: "input" | "output" | "fault", operation: string | undefined): BindingMessage {
  let body: BindingMessage["body"];
  const headers: BindingMessage["headers"][number][] = [];
  const other: { label: string; source: BindingMessage["source"] }[] = [];
  for (const c of children(el)) {
    const soap = c.ns === SOAP11_BINDING || c.ns === SOAP12_BINDING;
    if (soap && (c.local === "body" || (kind === "fault" && c.local === "fault"))) {
      const parts = attr(c, "parts");
      body = {
        use: attr(c, "use") ?? "literal",
        parts: parts === undefined ? undefined : parts.trim().split(/\s+/).filter((p) => p !== ""),
        namespace: attr(c, "namespace"),
        source: at(ctx, c),
      };
    } else if (soap && c.local === "header") {
      headerFaults(ctx, c, kind, operation);
      const message = refFrom(ctx, c, "message", "message");
      // What stands in when the message does not exist (as in several test suites' WSDLs): no header.
      if (message !== undefined) (message as { content: typeof message.content }).content = "header";
      const part = attr(c, "part");
      if (attr(c, "message") === undefined) ctx.diagnostics.error(at(ctx, c), `soap:header in wsdl:${kind} has no message attribute`);
      if (part === undefined) ctx.diagnostics.error(at(ctx, c), `soap:header in wsdl:${kind} has no part attribute`);
      headers.push({ message, part, use: attr(c, "use") ?? "literal", source: at(ctx, c) });
    } else if ((c.ns === WSDL && c.local === "documentation") || isPolicyExtension(c)) {
      // nothing to read here (policy: below)
    } else if (c.ns === SOAP11_BINDING || c.ns === SOAP12_BINDING || c.ns === HTTP_BINDING || c.ns === "http://schemas.xmlsoap.org/wsdl/mime/") {
      other.push({ label: `{${c.ns}}${c.local}`, source: at(ctx, c) });
    } else if (c.ns !== WSDL) {
      checkExtension(ctx, c);
    } else {
      ctx.diagnostics.error(at(ctx, c), `unexpected element ${writtenName(c)} in wsdl:${kind}`);
    }
  }
  return { kind, name: attr(el, "name"), body, headers, other, policy: policyAttachments(ctx, el), source: at(ctx, el) };
}

/**
 * `soap:headerfault` (WSDL 1.1 section 3.7): the header block that carries a fault about the
 * `soap:header` it sits in, sent in the fault response's Header. It is not typed: said where it
 * stands, as the client reads a fault's Body only.
 */
function headerFaults(ctx: ParseContext, header: XmlElement, kind: "input" | "output" | "fault", operation: string | undefined): void {
  for (const hf of children(header)) {
    if (hf.ns !== header.ns || hf.local !== "headerfault") continue;
    const names = [attr(hf, "message"), attr(hf, "part")].map((v) => v ?? "?");
    ctx.diagnostics.warning(at(ctx, hf), `soap:headerfault (message ${names[0]}, part ${names[1]}) of a soap:header in wsdl:${kind} of binding operation ${operation ?? "?"} is not typed: such a fault reaches callers as a SoapFault (code, reason, detail as XML), and the header block it names, sent in the fault's Header, is not read`);
  }
}

/**
 * `wsdl:service` (2.7) with `soap:address` (3.8):
 * ```
 * <wsdl:service name>
 *   <wsdl:port name binding> <soap:address location/> </wsdl:port>*
 * </wsdl:service>
 * ```
 */
function visitService(ctx: ParseContext, el: XmlElement, tns: string): Service | undefined {
  const name = requiredName(ctx, el);
  if (name === undefined) return undefined;
  const ports: Port[] = [];
  for (const c of children(el)) {
    if (c.ns !== WSDL || c.local !== "port") continue;
    const portName = requiredName(ctx, c);
    if (portName === undefined) continue;
    const binding = attr(c, "binding") === undefined ? absentRef(ctx, c, `port ${portName}`, "binding") : refFrom(ctx, c, "binding", "binding");
    if (binding === undefined) continue;
    let address: Port["address"];
    for (const a of children(c)) {
      if (a.local !== "address") continue;
      const protocol = a.ns === SOAP11_BINDING ? "soap11" : a.ns === SOAP12_BINDING ? "soap12" : "other";
      address = { protocol, location: attr(a, "location") ?? "", source: at(ctx, a) };
    }
    ports.push({ kind: "port", name: portName, binding, address, policy: policyAttachments(ctx, c), source: at(ctx, c) });
  }
  return { kind: "service", name, ns: tns, ports, documentation: documentation(el, WSDL), source: at(ctx, el) };
}
