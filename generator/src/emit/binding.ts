/**
 * Which port to generate, and whether its binding is one this version supports: SOAP 1.1,
 * document style, literal bodies, one element part per message, no binding headers.
 */
import { Diagnostics } from "../diagnostics.ts";
import type {
  Binding,
  BindingMessage,
  BindingOperation,
  ContractIR,
  ElementDeclaration,
  Operation,
  OperationMessage,
  Port,
  Service,
} from "../ir/model.ts";
import { deref } from "../ir/model.ts";

/**
 * Picks the service (the configured one, else the first) and its first port whose binding passes
 * every check; the ports skipped before it get a warning that says why.
 */
export function selectPort(
  ir: ContractIR,
  diagnostics: Diagnostics,
  options: { readonly service: string | undefined; readonly port: string | undefined },
): { service: Service; port: Port; binding: Binding; operations: CheckedOperation[] } | undefined {
  const main = ir.definitions[0]!;
  const services = ir.definitions.flatMap((d) => d.services);
  if (services.length === 0) {
    diagnostics.error(main.source, "the WSDL declares no wsdl:service", "a service with a SOAP 1.1 port is needed to generate a client and a server");
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
  // skipped with a warning that says why, so that a SOAP 1.2 twin of a 1.1 port is no error.
  const attempts: { port: Port; problems: Diagnostics }[] = [];
  for (const port of ports) {
    const problems = new Diagnostics();
    const checked = checkPort(port, problems);
    if (checked !== undefined && !problems.hasErrors()) {
      for (const a of attempts) {
        const first = a.problems.list.find((d) => d.severity === "error")!;
        diagnostics.warning(a.port.source, `skipped port ${a.port.name}: ${first.message}`, `generating port ${port.name} instead`);
      }
      diagnostics.addAll(problems.list);
      return { service, port, binding: checked.binding, operations: checked.operations };
    }
    attempts.push({ port, problems });
  }
  diagnostics.addAll(attempts[0]!.problems.list);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Binding checks

export interface CheckedOperation {
  readonly operation: Operation;
  readonly bindingOperation: BindingOperation;
  readonly soapAction: string;
  readonly inputElement: ElementDeclaration;
  readonly outputElement: ElementDeclaration;
}

function checkPort(port: Port, d: Diagnostics): { binding: Binding; operations: CheckedOperation[] } | undefined {
  const binding = deref(port.binding);
  const protocol = binding.protocol;
  if (protocol.kind === "soap12") {
    d.error(binding.source, `binding ${binding.name} is a SOAP 1.2 binding, which is not supported yet`, "only SOAP 1.1 bindings (soap:binding) are generated in this version");
    return undefined;
  }
  if (protocol.kind === "other") {
    d.error(binding.source, `binding ${binding.name} is not a SOAP binding${protocol.ns === "" ? "" : ` (${protocol.ns})`}`, "only SOAP 1.1 bindings (soap:binding) are supported");
    return undefined;
  }
  if (port.address !== undefined && port.address.protocol !== "soap11") {
    d.error(port.address.source, `port ${port.name} has a ${port.address.protocol === "soap12" ? "SOAP 1.2" : "non-SOAP"} address for a SOAP 1.1 binding`);
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
    const style = bop.style ?? protocol.style ?? "document";
    if (style === "rpc") {
      d.error(bop.source, `operation ${op.name}: rpc style is not supported yet`, "only document/literal (wrapped) bindings are generated in this version");
      continue;
    }
    if (op.output === undefined) {
      d.error(op.source, `operation ${op.name}: one-way operations (no wsdl:output) are not supported yet`);
      continue;
    }
    const inputElement = bodyElement(op, bop, op.input, bop.input, "input", d);
    const outputElement = bodyElement(op, bop, op.output, bop.output, "output", d);
    for (const f of op.faults) {
      const what = f.name === undefined ? "a wsdl:fault" : `fault ${f.name}`;
      d.warning(f.source, `operation ${op.name}: ${what} is not typed yet; it reaches callers as a SoapFault with its detail as XML`);
    }
    if (inputElement === undefined || outputElement === undefined) continue;
    operations.push({ operation: op, bindingOperation: bop, soapAction: bop.soapAction ?? "", inputElement, outputElement });
  }
  return { binding, operations };
}

/** The one global element a document/literal message puts in the Body. */
function bodyElement(
  op: Operation,
  bop: BindingOperation,
  om: OperationMessage,
  written: BindingMessage | undefined,
  which: "input" | "output",
  d: Diagnostics,
): ElementDeclaration | undefined {
  let bm = written;
  const where = bm?.source ?? bop.source;
  if (bm === undefined || bm.body === undefined) {
    if (bm !== undefined && (bm.headers.length > 0 || bm.other.length > 0)) {
      d.error(where, `operation ${op.name}: the binding's wsdl:${which} has no soap:body`);
      return undefined;
    }
    // Nothing in the binding says otherwise: the SOAP binding's defaults (literal, every part in the Body), as node-soap reads it.
    d.warning(
      where,
      `operation ${op.name}: the binding's wsdl:${which} ${bm === undefined ? "is missing" : "has no soap:body"}; read as <soap:body use="literal"/>, every part of the message in the Body`,
      `write <wsdl:${which}><soap:body use="literal"/></wsdl:${which}> in the binding operation`,
    );
    bm = { kind: which, name: undefined, body: { use: "literal", parts: undefined, namespace: undefined, source: where }, headers: [], other: [], policy: [], source: where };
  }
  const body = bm.body!;
  let ok = true;
  if (body.use !== "literal") {
    d.error(body.source, `operation ${op.name}: use="${body.use}" is not supported yet`, "only literal bodies (use=\"literal\") are generated in this version");
    ok = false;
  }
  if (bm.headers.length > 0) {
    d.error(bm.headers[0]!, `operation ${op.name}: soap:header in the binding is not supported yet`, "headers other than WS-Security are not generated in this version");
    ok = false;
  }
  for (const other of bm.other) {
    d.error(other.source, `operation ${op.name}: the binding extension ${other.label} is not supported`);
    ok = false;
  }
  if (!ok) return undefined;
  const message = deref(om.message);
  const parts = body.parts === undefined ? message.parts : message.parts.filter((p) => body.parts!.includes(p.name));
  if (parts.length !== 1) {
    d.error(
      om.source,
      `operation ${op.name}: the ${which} message ${message.name} has ${parts.length === 0 ? "no body part" : `${parts.length} body parts`}; document/literal needs exactly one`,
      parts.length === 0 ? "an empty body is not supported yet" : "wrap the parts in one element (document/literal wrapped)",
    );
    return undefined;
  }
  const part = parts[0]!;
  if (part.element === undefined) {
    d.error(part.source, `operation ${op.name}: part ${part.name} names a type, not an element`, "document style parts need element=\"...\" (type= parts are rpc style, not supported yet)");
    return undefined;
  }
  return deref(part.element);
}
