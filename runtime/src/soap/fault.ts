/**
 * SOAP 1.1 faults, both directions.
 *
 * A fault code is a QName. Contract-specific codes (MPay's `UnknownOrder`, ...) are qualified
 * with the contract's namespace when written, as WS-I Basic Profile 1.1 (R1004) asks; when
 * reading, any prefix is resolved by namespace and an unqualified code is accepted as well,
 * so `code` is always the plain local name that a handler or a caller compares against.
 */
import type { XmlElement } from "../xml/node.ts";
import { SOAP11_ENV } from "../xml/namespaces.ts";
import { escapeAttribute, escapeText } from "../xml/write.ts";

/** The fault codes SOAP 1.1 itself defines (section 4.4.1), in the envelope namespace. */
export type SoapStandardFaultCode = "VersionMismatch" | "MustUnderstand" | "Client" | "Server";

export interface SoapFaultOptions {
  /** Namespace of the code; the server fills in the contract's namespace when left out. */
  readonly namespace?: string;
  readonly actor?: string;
  /** Parsed `detail` children (when read from the wire). */
  readonly detail?: readonly XmlElement[];
  /** HTTP status the fault arrived with (client side). */
  readonly httpStatus?: number;
}

/**
 * A SOAP fault. Handlers throw it to answer with a fault; clients receive it as a rejected
 * call. `code` is the local name of the fault code (`"UnknownOrder"`), `reason` the
 * human-readable `faultstring`.
 */
export class SoapFault<C extends string = string> extends Error {
  override readonly name = "SoapFault";
  readonly code: C;
  readonly reason: string;
  readonly namespace: string | undefined;
  readonly actor: string | undefined;
  readonly detail: readonly XmlElement[] | undefined;
  readonly httpStatus: number | undefined;

  constructor(code: C, reason: string, options: SoapFaultOptions = {}) {
    super(`${code}: ${reason}`);
    this.code = code;
    this.reason = reason;
    this.namespace = options.namespace;
    this.actor = options.actor;
    this.detail = options.detail;
    this.httpStatus = options.httpStatus;
  }
}

/** Writes the `soap:Fault` element (the caller wraps it in an envelope). */
export function writeFault(fault: SoapFault, defaultNamespace: string): string {
  const ns = fault.namespace ?? defaultNamespace;
  const code =
    ns === SOAP11_ENV
      ? `<faultcode xmlns:s="${SOAP11_ENV}">s:${escapeText(fault.code)}</faultcode>`
      : ns === ""
        ? `<faultcode>${escapeText(fault.code)}</faultcode>`
        : `<faultcode xmlns:c="${escapeAttribute(ns)}">c:${escapeText(fault.code)}</faultcode>`;
  const actor = fault.actor === undefined ? "" : `<faultactor>${escapeText(fault.actor)}</faultactor>`;
  return `<s:Fault xmlns:s="${SOAP11_ENV}">${code}<faultstring xml:lang="en">${escapeText(fault.reason)}</faultstring>${actor}</s:Fault>`;
}

function childText(el: XmlElement, local: string): string | undefined {
  for (const c of el.children) {
    // SOAP 1.1 fault children are unqualified; some stacks qualify them anyway.
    if (c.kind === "element" && c.local === local && (c.ns === "" || c.ns === SOAP11_ENV)) {
      return c.children.map((t) => (t.kind === "text" ? t.value : "")).join("");
    }
  }
  return undefined;
}

/** Reads a `soap:Fault` element into a {@link SoapFault}. */
export function readFault(el: XmlElement, httpStatus?: number): SoapFault {
  const rawCode = (childText(el, "faultcode") ?? "").trim();
  const colon = rawCode.indexOf(":");
  const prefix = colon < 0 ? "" : rawCode.slice(0, colon);
  const local = colon < 0 ? rawCode : rawCode.slice(colon + 1);
  let namespace: string | undefined;
  find: for (let e: XmlElement | undefined = el.children.find((c): c is XmlElement => c.kind === "element" && c.local === "faultcode") ?? el; e; e = e.parent) {
    for (const d of e.namespaces) {
      if (d.prefix === prefix) {
        namespace = d.uri;
        break find;
      }
    }
  }
  if (namespace === undefined) namespace = "";
  const detailEl = el.children.find((c): c is XmlElement => c.kind === "element" && c.local === "detail");
  const actor = childText(el, "faultactor");
  return new SoapFault(local || "Server", (childText(el, "faultstring") ?? "").trim(), {
    namespace,
    ...(actor === undefined ? {} : { actor }),
    ...(detailEl === undefined ? {} : { detail: detailEl.children.filter((c): c is XmlElement => c.kind === "element") }),
    ...(httpStatus === undefined ? {} : { httpStatus }),
  });
}
