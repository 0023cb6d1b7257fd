/**
 * Failure categories for the corpus report: short, stable labels that group failures by the
 * XSD or WSDL feature (or the contract defect) behind them, so that docs/corpus.md can count them.
 *
 * Labels start with the stage that failed: `unsupported:` (the generator refuses a construct it
 * does not handle yet), `contract:` (the generator refuses the contract as written: an
 * unresolved reference, a missing file, malformed XML), `generation error:` (anything else it
 * refuses), `crash:` (an exception that is not a diagnostic: a generator bug), `type-check:`,
 * `builder:` (this test could not make a value), `encode:`, `validation:` (libxml2), `decode:`
 * and `round trip:` (decoded, but to a different value).
 */
import type { Diagnostic } from "@mpay-kit/codegen";

/** Replaces the names in a message with placeholders, so that messages about different names group. */
function generic(message: string): string {
  return message
    .replace(/\{[^}]*\}[\p{L}\p{N}_.\-]*/gu, "{ns}name")
    .replace(/"[^"]*"/g, "…")
    .replace(/'[^']*'/g, "…")
    .replace(/\s+/g, " ")
    .trim();
}

function cut(s: string, max = 80): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** The category of one generator diagnostic (an error). */
export function classifyDiagnostic(d: Diagnostic): string {
  const m = d.message.replace(/^operation \S+: /, "");
  let x: RegExpExecArray | null;
  if (/^malformed XML: encoding \S+ is not supported/.test(m)) return "unsupported: XML encoding other than UTF-8";
  if ((x = /^malformed XML: ([^:'"]*)/.exec(m)) !== null) return `contract: malformed XML (${x[1]!.trim()})`;
  if ((x = /^(?:.*? is an? )?(.*?), which is not supported yet/.exec(m)) !== null || (x = /^(.*?) (?:is|are) not supported(?: yet)?/.exec(m)) !== null) {
    const subject = x[1]!
      .replace(/\s*\([^)]*\)/g, "")
      .replace(/^an? /, "")
      .replace(/^xs:sequence with .*/, "repeated xs:sequence (maxOccurs > 1)")
      .replace(/^xs:choice with .*/, "repeated xs:choice (maxOccurs > 1)");
    return `unsupported: ${cut(generic(subject), 60)}`;
  }
  if ((x = /^no (type|element|message|binding|portType|attribute|group|attributeGroup) \{([^}]*)\}/.exec(m)) !== null) {
    const [, kind, ns] = x;
    if (ns === "") return `contract: unresolved ${kind} reference in no namespace (unqualified QName)`;
    if (/no schema or WSDL for namespace/.test(m)) return `contract: ${kind} reference into a namespace no file defines`;
    return `contract: unresolved ${kind} reference`;
  }
  if (/^cannot load \S+: the generator never fetches over the network/.test(m)) return "contract: remote import (needs a catalog)";
  if (/^cannot import .*does not exist/.test(m)) return "contract: imported file missing";
  if (/^the prefix .* is not declared/.test(m)) return "contract: undeclared prefix in a QName";
  if ((x = /^duplicate (\S+)/.exec(m)) !== null) return `contract: duplicate ${x[1]} definition`;
  if (/draft namespace/.test(m)) return "contract: XSD draft namespace (2000/10/XMLSchema)";
  if (/has no body part/.test(m)) return "unsupported: message without a body part";
  if (/has \d+ body parts/.test(m)) return "unsupported: message with several body parts";
  if (/names a type, not an element/.test(m)) return "contract: document/literal part names a type";
  if (/^the rpc wrapper element .* has the name of a global element/.test(m)) return "contract: rpc wrapper element named like a global element";
  if (/has neither an element nor a type/.test(m)) return "contract: part without element or type";
  if (/is not a SOAP binding/.test(m)) return "contract: no SOAP binding (HTTP binding only)";
  if (/has no usable port.*not SOAP over HTTP/.test(m)) return "contract: no SOAP-over-HTTP binding (another transport)";
  if (/declares no wsdl:service/.test(m)) return "contract: no wsdl:service";
  if ((x = /^unexpected (?:element )?(\S+) in (\S+)/.exec(m)) !== null) return `contract: unexpected ${x[1]} in ${x[2]}`;
  if ((x = /^(port|binding) \S+ has no (\w+) attribute/.exec(m)) !== null) return `contract: ${x[1]} without ${x[2]} attribute`;
  if ((x = /^(wsdl:\w+) of operation \S+ has no (\w+) attribute/.exec(m)) !== null) return `contract: ${x[1]} without ${x[2]} attribute`;
  if (/^no built-in type /.test(m)) return "contract: unknown built-in type in the XSD namespace";
  if (/^xs:simpleType needs /.test(m)) return "contract: xs:simpleType without restriction, list or union";
  if ((x = /^the binding's (wsdl:\w+) has no soap:body/.exec(m)) !== null) return `unsupported: binding ${x[1]} without soap:body`;
  return `generation error: ${cut(generic(m))}`;
}

/** The category of a refused generation: its first error in file order. */
export function classifyRefusal(diagnostics: readonly Diagnostic[]): string {
  const first = diagnostics.find((d) => d.severity === "error");
  return first === undefined ? "generation error: refused without an error" : classifyDiagnostic(first);
}

/** Every distinct category among a refusal's errors (what blocks the entry, not only what blocks first). */
export function blockers(diagnostics: readonly Diagnostic[]): string[] {
  return [...new Set(diagnostics.filter((d) => d.severity === "error").map(classifyDiagnostic))].sort();
}

/** A libxml2 validation error (`line: message`) as a category. */
export function classifyValidation(error: string): string {
  const message = error.replace(/^\d+: /, "").replace(/^Element '[^']*'(?:, attribute '[^']*')?: /, "");
  return `validation: ${cut(generic(message))}`;
}

/** A codec error (encode or decode) as a category: its problem and its detail without names. */
export function classifyCodec(direction: "encode" | "decode", problem: string, detail: string): string {
  return `${direction}: ${problem}: ${cut(generic(detail.replace(/ \(line \d+(?:, column \d+)?\)/g, "")))}`;
}

/** A tsc error as a category. */
export function classifyTypeError(code: string, text: string): string {
  const message = text.replace(/^.*?error TS\d+: /, "");
  return `type-check: ${code} ${cut(generic(message), 60)}`;
}
