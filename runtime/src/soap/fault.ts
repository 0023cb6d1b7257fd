/**
 * SOAP 1.1 and SOAP 1.2 faults, both directions.
 *
 * A fault code is a QName. Contract-specific codes (MPay's `UnknownOrder`, ...) are qualified
 * with the contract's namespace when written, as WS-I Basic Profile 1.1 (R1004) asks; when
 * reading, any prefix is resolved by namespace and an unqualified code is accepted as well,
 * so `code` is always the plain local name that a handler or a caller compares against.
 *
 * SOAP 1.2 (Part 1, section 5.4) writes a code as `Code/Value` (one of `VersionMismatch`,
 * `MustUnderstand`, `DataEncodingUnknown`, `Sender`, `Receiver`) refined by `Subcode/Value`: the
 * SOAP 1.1 codes map to their 1.2 names (`Client` → `Sender`, `Server` → `Receiver`), a contract
 * code travels as the Subcode of `Sender` (or of `Receiver`, see {@link SoapFaultOptions.soap12Code}).
 * Reading, `code` is the innermost Subcode's local name, or the Value's when there is none.
 */
import type { XmlElement } from "../xml/node.ts";
import { SOAP11_ENV, SOAP12_ENV } from "../xml/namespaces.ts";
import { escapeAttribute, escapeText } from "../xml/write.ts";
import type { OperationMeta } from "../meta.ts";
import { decodeElement, type DecodeOptions } from "../xsd/decode.ts";
import { encodeElementToString } from "../xsd/encode.ts";
import { standsFor } from "./headers.ts";

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
  /**
   * The SOAP 1.2 `Code/Value` a contract code refines (it travels as the Subcode): whose fault it
   * is. Default `Sender`; the server's internal-error fault says `Receiver`. Read from SOAP 1.2
   * faults; SOAP 1.1 has no such field.
   */
  readonly soap12Code?: "Sender" | "Receiver";
  /**
   * The name of the operation's declared fault (`wsdl:fault name`) whose detail this fault
   * carries, with {@link detailValue}: the server encodes it into `detail` with the declared
   * element; the client sets both when a received detail is a declared fault's element.
   */
  readonly declared?: string;
  /** The typed value of the declared fault's detail element. */
  readonly detailValue?: unknown;
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
  readonly soap12Code: "Sender" | "Receiver" | undefined;
  readonly declared: string | undefined;
  readonly detailValue: unknown;

  constructor(code: C, reason: string, options: SoapFaultOptions = {}) {
    super(`${code}: ${reason}`);
    this.code = code;
    this.reason = reason;
    this.namespace = options.namespace;
    this.actor = options.actor;
    this.detail = options.detail;
    this.httpStatus = options.httpStatus;
    this.soap12Code = options.soap12Code;
    this.declared = options.declared;
    this.detailValue = options.detailValue;
  }
}

/** The declared faults' detail types of an operation, by fault name. */
type FaultsOf<Op> = Op extends OperationMeta<unknown, unknown, unknown, unknown, infer F> ? (unknown extends F ? never : F) : never;

/**
 * A declared fault of an operation (`wsdl:fault`), to throw from its handler: the server writes
 * `detail` as the fault's element. The code defaults to SOAP's `Client` (SOAP 1.2: `Sender`), as
 * WCF's `FaultException<T>` does; the reason to the fault's name.
 * @example throw operationFault(operations.PlaceOrder, "OutOfStock", { item: "book" }, { reason: "no stock" });
 */
export function operationFault<Op extends OperationMeta, N extends keyof FaultsOf<Op> & string>(
  operation: Op,
  name: N,
  detail: FaultsOf<Op>[N],
  options: { readonly code?: string; readonly namespace?: string; readonly reason?: string } = {},
): SoapFault {
  if (!(operation.faults ?? []).some((f) => f.name === name)) throw new TypeError(`operation ${operation.name} declares no fault ${name}`);
  // A code of the caller's own is in the contract's namespace unless it names one (the server fills it in).
  const namespace = options.namespace ?? (options.code === undefined ? SOAP11_ENV : undefined);
  return new SoapFault(options.code ?? "Client", options.reason ?? name, { ...(namespace === undefined ? {} : { namespace }), declared: name, detailValue: detail });
}

/**
 * Whether `error` is the declared fault `name` of `operation`, as the client received it (its
 * detail decoded into `detailValue`).
 */
export function isOperationFault<Op extends OperationMeta, N extends keyof FaultsOf<Op> & string>(
  error: unknown,
  operation: Op,
  name: N,
): error is SoapFault & { readonly declared: N; readonly detailValue: FaultsOf<Op>[N] } {
  return error instanceof SoapFault && error.declared === name && (operation.faults ?? []).some((f) => f.name === name);
}

/**
 * The `detail` content of a declared fault: its element, encoded from `detailValue`.
 * @throws TypeError when the operation declares no such fault; CodecError when the value breaks its schema.
 */
export function declaredDetail(operation: OperationMeta | undefined, fault: SoapFault): string {
  const declared = operation?.faults?.find((f) => f.name === fault.declared);
  if (declared === undefined) throw new TypeError(`${operation === undefined ? "the request's operation is unknown, so it" : `operation ${operation.name}`} declares no fault ${fault.declared}`);
  return encodeElementToString(declared.element, fault.detailValue);
}

/**
 * The fault with its detail decoded, when its first detail element is one of the operation's
 * declared faults'; the fault as it is otherwise (also when that element does not decode: the
 * caller still learns that the call failed, and `detail` keeps the XML).
 */
export function withDeclaredDetail(fault: SoapFault, operation: OperationMeta, options: DecodeOptions | undefined): SoapFault {
  const declared = operation.faults;
  const first = fault.detail?.[0];
  if (declared === undefined || first === undefined) return fault;
  // An abstract detail element arrives as a member of its substitution group.
  const match = declared.find((f) => standsFor(f.element, first));
  if (match === undefined) return fault;
  let value: unknown;
  try {
    value = decodeElement(first, match.element, options);
  } catch {
    return fault;
  }
  return new SoapFault(fault.code, fault.reason, {
    ...(fault.namespace === undefined ? {} : { namespace: fault.namespace }),
    ...(fault.actor === undefined ? {} : { actor: fault.actor }),
    ...(fault.detail === undefined ? {} : { detail: fault.detail }),
    ...(fault.httpStatus === undefined ? {} : { httpStatus: fault.httpStatus }),
    ...(fault.soap12Code === undefined ? {} : { soap12Code: fault.soap12Code }),
    declared: match.name,
    detailValue: value,
  });
}

/** SOAP 1.2's own fault codes (Part 1, section 5.4.6). */
const SOAP12_CODES = new Set(["VersionMismatch", "MustUnderstand", "DataEncodingUnknown", "Sender", "Receiver"]);

/**
 * The SOAP 1.2 `Code/Value` of a fault (a local name in the envelope namespace) and the Subcode
 * it carries, if any.
 */
export function soap12Code(fault: SoapFault, defaultNamespace: string): { value: string; subcode: { ns: string; local: string } | undefined } {
  const ns = fault.namespace ?? defaultNamespace;
  if (ns === SOAP11_ENV || ns === SOAP12_ENV) {
    if (fault.code === "Client") return { value: "Sender", subcode: undefined };
    if (fault.code === "Server") return { value: "Receiver", subcode: undefined };
    if (SOAP12_CODES.has(fault.code)) return { value: fault.code, subcode: undefined };
  }
  return { value: fault.soap12Code ?? "Sender", subcode: { ns, local: fault.code } };
}

/**
 * Writes the `soap:Fault` element (the caller wraps it in an envelope of the same version).
 * @param defaultNamespace - the namespace of a code that names none (the contract's).
 */
export function writeFault(fault: SoapFault, defaultNamespace: string, version: "1.1" | "1.2" = "1.1", detail = ""): string {
  if (version === "1.2") return writeFault12(fault, defaultNamespace, detail);
  const ns = fault.namespace ?? defaultNamespace;
  const code =
    ns === SOAP11_ENV
      ? `<faultcode xmlns:s="${SOAP11_ENV}">s:${escapeText(fault.code)}</faultcode>`
      : ns === ""
        ? `<faultcode>${escapeText(fault.code)}</faultcode>`
        : `<faultcode xmlns:c="${escapeAttribute(ns)}">c:${escapeText(fault.code)}</faultcode>`;
  const actor = fault.actor === undefined ? "" : `<faultactor>${escapeText(fault.actor)}</faultactor>`;
  return `<s:Fault xmlns:s="${SOAP11_ENV}">${code}<faultstring xml:lang="en">${escapeText(fault.reason)}</faultstring>${actor}${detail === "" ? "" : `<detail>${detail}</detail>`}</s:Fault>`;
}

function writeFault12(fault: SoapFault, defaultNamespace: string, detail: string): string {
  const { value, subcode } = soap12Code(fault, defaultNamespace);
  const sub =
    subcode === undefined
      ? ""
      : subcode.ns === ""
        ? `<e:Subcode><e:Value>${escapeText(subcode.local)}</e:Value></e:Subcode>`
        : `<e:Subcode><e:Value xmlns:c="${escapeAttribute(subcode.ns)}">c:${escapeText(subcode.local)}</e:Value></e:Subcode>`;
  const role = fault.actor === undefined ? "" : `<e:Role>${escapeText(fault.actor)}</e:Role>`;
  return `<e:Fault xmlns:e="${SOAP12_ENV}"><e:Code><e:Value>e:${value}</e:Value>${sub}</e:Code><e:Reason><e:Text xml:lang="en">${escapeText(fault.reason)}</e:Text></e:Reason>${role}${detail === "" ? "" : `<e:Detail>${detail}</e:Detail>`}</e:Fault>`;
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

/** The namespace a prefix is bound to where `el` is (`""` for none). */
function namespaceOf(el: XmlElement, prefix: string): string {
  for (let e: XmlElement | undefined = el; e; e = e.parent) {
    for (const d of e.namespaces) if (d.prefix === prefix) return d.uri;
  }
  return "";
}

function textOf(el: XmlElement): string {
  return el.children.map((t) => (t.kind === "text" ? t.value : "")).join("");
}

function child12(el: XmlElement, local: string): XmlElement | undefined {
  return el.children.find((c): c is XmlElement => c.kind === "element" && c.ns === SOAP12_ENV && c.local === local);
}

/** Reads a SOAP 1.2 `env:Fault`: the innermost Subcode (or the Value) as the code, the first Reason text. */
function readFault12(el: XmlElement, httpStatus: number | undefined): SoapFault {
  let value: XmlElement | undefined;
  let top: string | undefined;
  for (let code = child12(el, "Code"); code !== undefined; code = child12(code, "Subcode")) {
    const v = child12(code, "Value");
    if (v === undefined) break;
    value = v;
    if (top === undefined) {
      const text = textOf(v).trim();
      top = text.slice(text.indexOf(":") + 1);
    }
  }
  const raw = value === undefined ? "" : textOf(value).trim();
  const colon = raw.indexOf(":");
  const local = colon < 0 ? raw : raw.slice(colon + 1);
  const namespace = value === undefined ? SOAP12_ENV : namespaceOf(value, colon < 0 ? "" : raw.slice(0, colon));
  const reason = child12(el, "Reason");
  const texts = reason === undefined ? [] : reason.children.filter((c): c is XmlElement => c.kind === "element" && c.ns === SOAP12_ENV && c.local === "Text");
  const text = texts.find((t) => t.attributes.some((a) => a.local === "lang" && a.value.toLowerCase().startsWith("en"))) ?? texts[0];
  const role = child12(el, "Role");
  const detail = child12(el, "Detail");
  return new SoapFault(local || "Receiver", text === undefined ? "" : textOf(text).trim(), {
    namespace,
    ...(role === undefined ? {} : { actor: textOf(role).trim() }),
    ...(detail === undefined ? {} : { detail: detail.children.filter((c): c is XmlElement => c.kind === "element") }),
    ...(httpStatus === undefined ? {} : { httpStatus }),
    ...(top === "Sender" || top === "Receiver" ? { soap12Code: top } : {}),
  });
}

/** Reads a `soap:Fault` element (SOAP 1.1 or 1.2, by its namespace) into a {@link SoapFault}. */
export function readFault(el: XmlElement, httpStatus?: number): SoapFault {
  if (el.ns === SOAP12_ENV) return readFault12(el, httpStatus);
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
