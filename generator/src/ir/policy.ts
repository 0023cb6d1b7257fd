/**
 * WS-Policy → message-security requirements: resolves policy references, normalizes policy
 * expressions to alternatives (WS-Policy 1.5, section 4.3), chooses an alternative, and reads
 * the WS-SecurityPolicy 1.1 / 1.2 assertions of the chosen one into the runtime's
 * {@link SecurityPolicy}.
 *
 * Choice: each attached expression (one `wsp:Policy` or `wsp:PolicyReference` on one WSDL
 * element) is normalized on its own, and the first of its alternatives whose every assertion the
 * generator supports is used; a warning says so when there were several. When none is fully
 * supported the first is used, and each assertion in it that is not honoured is a warning.
 * Choosing per attached expression rather than over the merged cross product keeps each
 * diagnostic at the policy that causes it, and gives the same result whenever alternatives at
 * different levels do not depend on each other (they never do in WSDLs seen in practice).
 *
 * Effective policy of a message (WS-PolicyAttachment, section 4.1): the conjunction of the
 * endpoint subject's policy (port, binding, portType), the operation subject's (binding
 * operation, portType operation) and the message subject's (binding input or output, portType
 * input or output, `wsdl:message`).
 *
 * Only what the generated code can honour becomes a requirement: an asymmetric binding with
 * X.509 tokens, its algorithm suite, layout, timestamp and whole-part signing, and the signed
 * Body and headers. Everything else (symmetric or transport-level message protection, encryption,
 * supporting tokens, assertions of other domains) is a warning at the assertion, never a crash
 * and never a silent requirement. An unresolvable reference is an error.
 */
import type { SecurityHeaderLayout, SecurityPolicy, SignedHeader, TokenInclusion } from "@mpay-kit/runtime/codegen/v1";
import type { Diagnostics, SourceLocation } from "../diagnostics.ts";
import { compareStrings } from "../diagnostics.ts";
import type { ContractIR, PolicyAttribute, PolicyDefinition, PolicyExpression, PolicyParameter, QName } from "./model.ts";
import { SP11, SP12, SP13 } from "./ns.ts";

/** An assertion of a normalized policy: its nested policy reduced to one alternative. */
export interface NormalAssertion {
  readonly name: QName;
  readonly ignorable: boolean;
  readonly attributes: readonly PolicyAttribute[];
  readonly parameters: readonly PolicyParameter[];
  /** The one alternative of its nested policy; `undefined` when it has no nested policy. */
  readonly nested: Alternative | undefined;
  readonly source: SourceLocation;
}

/** A policy alternative: assertions that all apply. */
export type Alternative = readonly NormalAssertion[];

/** More alternatives than any real policy has: a guard against exponential cross products. */
const MAX_ALTERNATIVES = 1024;

/** Something in a policy the generated code does not honour. */
interface Problem {
  readonly source: SourceLocation;
  readonly message: string;
  readonly hint?: string;
}

/** What one understood assertion of a chosen alternative requires. */
type Requirement =
  | { readonly kind: "asymmetric"; readonly binding: Omit<SecurityPolicy, "signedParts">; readonly source: SourceLocation }
  | { readonly kind: "transport"; readonly source: SourceLocation }
  | { readonly kind: "signedParts"; readonly body: boolean; readonly headers: readonly SignedHeader[]; readonly source: SourceLocation };

/** The assertions of one alternative, read: requirements, and what is not honoured. */
interface Reading {
  readonly requirements: readonly Requirement[];
  readonly problems: readonly Problem[];
}

const SP = new Set([SP11, SP12, SP13]);

/** `sp:Name` for WS-SecurityPolicy assertions (any version), `{ns}Name` for others. */
function display(name: QName): string {
  return SP.has(name.ns) ? `sp:${name.local}` : `{${name.ns}}${name.local}`;
}

/** Reads the policies of one contract; one instance per generation run (it caches choices). */
export class PolicyReader {
  readonly #d: Diagnostics;
  readonly #definitions = new Map<string, PolicyDefinition[]>();
  readonly #chosen = new Map<PolicyExpression, Reading>();

  constructor(ir: ContractIR, diagnostics: Diagnostics) {
    this.#d = diagnostics;
    for (const d of ir.definitions) {
      for (const p of d.policies) {
        for (const key of p.keys) {
          const list = this.#definitions.get(key);
          if (list === undefined) this.#definitions.set(key, [p]);
          else list.push(p);
        }
      }
    }
  }

  /**
   * The message-security requirements of the policy attached to several subjects together (e.g.
   * endpoint + operation + input message), or `undefined` when none of it asks for an asymmetric
   * binding (no policy, a transport binding only, or only assertions that cannot be honoured).
   */
  security(attached: readonly (readonly PolicyExpression[])[]): SecurityPolicy | undefined {
    const requirements = attached.flat().flatMap((e) => this.#choose(e).requirements);
    let binding: Extract<Requirement, { kind: "asymmetric" }> | undefined;
    let transport = false;
    const parts: Extract<Requirement, { kind: "signedParts" }>[] = [];
    for (const r of requirements) {
      if (r.kind === "signedParts") parts.push(r);
      else if (r.kind === "transport") transport = true;
      else if (binding === undefined) binding = r;
      else if (JSON.stringify(binding.binding) !== JSON.stringify(r.binding)) {
        this.#d.warning(r.source, "a second, different sp:AsymmetricBinding applies to the same messages; it is ignored", `the one at line ${binding.source.line} applies`);
      }
    }
    if (binding === undefined) {
      if (!transport) {
        for (const p of parts) {
          this.#d.warning(p.source, "sp:SignedParts applies to no security binding (sp:AsymmetricBinding) here; it is ignored", "attach an sp:AsymmetricBinding to the binding or the operation");
        }
      }
      return undefined;
    }
    if (transport) this.#d.warning(binding.source, "both sp:TransportBinding and sp:AsymmetricBinding apply to the same messages; the asymmetric binding is used");
    const headers: SignedHeader[] = [];
    for (const h of parts.flatMap((p) => p.headers)) {
      if (!headers.some((x) => x.ns === h.ns && x.local === h.local)) headers.push(h);
    }
    return { ...binding.binding, signedParts: { body: parts.some((p) => p.body), headers } };
  }

  // -- choosing an alternative ---------------------------------------------------------------

  #choose(expression: PolicyExpression): Reading {
    let reading = this.#chosen.get(expression);
    if (reading === undefined) {
      reading = this.#chooseUncached(expression);
      this.#chosen.set(expression, reading);
    }
    return reading;
  }

  #chooseUncached(expression: PolicyExpression): Reading {
    const alternatives = this.#normalize(expression, []);
    const what = expression.kind === "policyReference" ? `policy ${expression.uri}` : "the policy";
    if (alternatives === undefined) return { requirements: [], problems: [] };
    if (alternatives.length === 0) {
      this.#d.warning(expression.source, `${what} admits no alternative (an empty wsp:ExactlyOne); it is ignored`);
      return { requirements: [], problems: [] };
    }
    const readings = alternatives.map(readAlternative);
    const index = readings.findIndex((r) => r.problems.length === 0);
    if (index < 0) {
      if (alternatives.length > 1) {
        this.#d.warning(expression.source, `none of the ${alternatives.length} alternatives of ${what} is fully supported; the first one is used`, "the warnings at its assertions say what is not honoured");
      }
      for (const p of readings[0]!.problems) this.#d.warning(p.source, p.message, p.hint);
      return readings[0]!;
    }
    if (alternatives.length > 1) {
      const skipped = readings.slice(0, index).map((r, i) => `the ${ordinal(i + 1)}: ${r.problems[0]!.message} (line ${r.problems[0]!.source.line})`);
      this.#d.warning(
        expression.source,
        `${what} has ${alternatives.length} alternatives; the ${ordinal(index + 1)} is used, the first one whose assertions are all supported`,
        index === 0 ? "a peer that uses another alternative will not be understood" : skipped.join("; "),
      );
    }
    return readings[index]!;
  }

  // -- normalization (WS-Policy 1.5, 4.3) ----------------------------------------------------

  /** The alternatives of an expression; `undefined` after an error (reported). */
  #normalize(e: PolicyExpression, stack: readonly PolicyDefinition[]): Alternative[] | undefined {
    switch (e.kind) {
      case "assertion": {
        let nested: (Alternative | undefined)[] = [undefined];
        if (e.nested !== undefined) {
          const n = this.#normalize(e.nested, stack);
          if (n === undefined) return undefined;
          nested = n;
        }
        const copies: Alternative[] = nested.map((alt) => [
          { name: e.name, ignorable: e.ignorable, attributes: e.attributes, parameters: e.parameters, nested: alt, source: e.source },
        ]);
        // wsp:Optional="true": the assertion, or nothing (WS-Policy 1.5, 4.3.1).
        return e.optional ? [...copies, []] : copies;
      }
      case "exactlyOne": {
        const out: Alternative[] = [];
        for (const t of e.terms) {
          const n = this.#normalize(t, stack);
          if (n === undefined) return undefined;
          out.push(...n);
          if (out.length > MAX_ALTERNATIVES) return this.#tooMany(e.source);
        }
        return out;
      }
      case "all": {
        let out: Alternative[] = [[]];
        for (const t of e.terms) {
          const n = this.#normalize(t, stack);
          if (n === undefined) return undefined;
          if (out.length * n.length > MAX_ALTERNATIVES) return this.#tooMany(e.source);
          out = out.flatMap((a) => n.map((b) => [...a, ...b]));
        }
        return out;
      }
      case "policyReference": {
        const target = this.#resolve(e);
        if (target === undefined) return undefined;
        if (stack.includes(target)) {
          this.#d.error(e.source, `policy reference ${e.uri} refers to a policy that contains it`, `the chain is ${[...stack, target].map((p) => p.label).join(" → ")}`);
          return undefined;
        }
        return this.#normalize(target.body, [...stack, target]);
      }
    }
  }

  #tooMany(at: SourceLocation): undefined {
    this.#d.error(at, `the policy has more than ${MAX_ALTERNATIVES} alternatives once normalized`, "write the alternatives out with fewer wsp:ExactlyOne and wsp:Optional");
    return undefined;
  }

  #resolve(r: Extract<PolicyExpression, { kind: "policyReference" }>): PolicyDefinition | undefined {
    const found = this.#definitions.get(r.key) ?? [];
    if (found.length === 1) return found[0];
    if (found.length > 1) {
      this.#d.error(r.source, `policy reference ${r.uri} is ambiguous: ${found.length} policies have that id`, found.map((p) => `${p.source.file}:${p.source.line}:${p.source.column}`).join(", "));
      return undefined;
    }
    const hash = r.key.lastIndexOf("#");
    const sameDocument = hash < 0 ? [] : [...this.#definitions.keys()].filter((k) => k.startsWith(r.key.slice(0, hash + 1))).map((k) => k.slice(hash + 1));
    this.#d.error(
      r.source,
      `no policy ${r.uri}: no wsp:Policy in the contract's documents has that ${r.uri.includes("#") ? "wsu:Id" : "Name"}`,
      sameDocument.length > 0
        ? `policies with an id in that document: ${sameDocument.sort(compareStrings).join(", ")}`
        : "a reference names a wsp:Policy of a loaded document by its wsu:Id (URI=\"#id\") or by its Name; policy files outside the contract are not loaded",
    );
    return undefined;
  }
}

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${n % 10 === 1 ? "st" : n % 10 === 2 ? "nd" : n % 10 === 3 ? "rd" : "th"}`;
}

// ---------------------------------------------------------------------------------------------
// WS-SecurityPolicy 1.1 / 1.2

/**
 * The algorithm suites of WS-SecurityPolicy 1.1 and 1.2 (section 7.1). Only the signature part
 * matters here: the `Sha256` suites digest with SHA-256, the others with SHA-1. For the
 * asymmetric signature the specification keeps RSA-SHA1 in every suite, while WCF signs with
 * RSA-SHA256 in the `Sha256` suites; the runtime's families pair the two (`rsa-sha256` is
 * RSA-SHA256 with SHA-256 digests), which is what WCF sends.
 */
const ALGORITHM_SUITES: ReadonlySet<string> = new Set(
  ["Basic256", "Basic192", "Basic128", "TripleDes"].flatMap((cipher) => ["", "Rsa15", "Sha256", "Sha256Rsa15"].map((variant) => `${cipher}${variant}`)),
);

/** Assertions of an `sp:AlgorithmSuite` besides the suite name that change nothing the generated code does. */
const SUITE_MARKERS: ReadonlySet<string> = new Set(["XPath10", "XPathFilter20", "AbsXPath"]);

/** Assertions of an `sp:AlgorithmSuite` that change how messages are signed, in ways the runtime does not implement. */
const SUITE_OPTIONS: ReadonlySet<string> = new Set(["InclusiveC14N", "InclusiveC14N11", "SOAPNormalization10", "STRTransform10"]);

const LAYOUTS: Readonly<Record<string, SecurityHeaderLayout>> = { Strict: "strict", Lax: "lax", LaxTsFirst: "laxTimestampFirst", LaxTsLast: "laxTimestampLast" };

const INCLUSIONS: Readonly<Record<string, TokenInclusion>> = {
  Never: "never",
  Once: "once",
  AlwaysToRecipient: "alwaysToRecipient",
  AlwaysToInitiator: "alwaysToInitiator",
  Always: "always",
};

const SUPPORTING_TOKENS: ReadonlySet<string> = new Set([
  "SupportingTokens",
  "SignedSupportingTokens",
  "EndorsingSupportingTokens",
  "SignedEndorsingSupportingTokens",
  "EncryptedSupportingTokens",
  "SignedEncryptedSupportingTokens",
  "EndorsingEncryptedSupportingTokens",
  "SignedEndorsingEncryptedSupportingTokens",
]);

const IGNORED = "it is ignored";
const NO_SECURITY = "the generated code applies no message security for it; configure security in code if the service needs it";

/** Reads every assertion of an alternative. */
function readAlternative(alternative: Alternative): Reading {
  const requirements: Requirement[] = [];
  const problems: Problem[] = [];
  let bindings = 0;
  for (const a of alternative) {
    const r = readAssertion(a, problems);
    if (r === undefined) continue;
    if (r.kind !== "signedParts" && ++bindings > 1) {
      problems.push({ source: a.source, message: `${display(a.name)} is not supported next to another security binding in one alternative`, hint: IGNORED });
      continue;
    }
    requirements.push(r);
  }
  return { requirements, problems };
}

function readAssertion(a: NormalAssertion, problems: Problem[]): Requirement | undefined {
  if (!SP.has(a.name.ns)) {
    if (!a.ignorable) problems.push({ source: a.source, message: `policy assertion ${display(a.name)} is not supported`, hint: IGNORED });
    return undefined;
  }
  const name = a.name.local;
  switch (name) {
    case "AsymmetricBinding":
      return readAsymmetricBinding(a, problems);
    case "TransportBinding":
      // Protection by TLS: nothing to do in the message, unless it asks for a timestamp.
      for (const n of a.nested ?? []) {
        if (SP.has(n.name.ns) && n.name.local === "IncludeTimestamp") {
          problems.push({ source: n.source, message: "sp:IncludeTimestamp in sp:TransportBinding (a wsse:Security timestamp over TLS) is not supported", hint: IGNORED });
        }
      }
      return { kind: "transport", source: a.source };
    case "SignedParts":
      return readSignedParts(a, problems);
    case "Wss10":
    case "Wss11":
      for (const n of a.nested ?? []) {
        if (SP.has(n.name.ns) && n.name.local === "RequireSignatureConfirmation") {
          problems.push({ source: n.source, message: "sp:RequireSignatureConfirmation (WS-Security 1.1 signature confirmation) is not supported", hint: IGNORED });
        }
      }
      return undefined;
    case "Trust10":
    case "Trust13":
      // What a client of an STS must support; no requirement on these messages.
      return undefined;
    case "SymmetricBinding":
      problems.push({ source: a.source, message: "sp:SymmetricBinding is not supported; only sp:AsymmetricBinding (each side signs with its own X.509 key) is", hint: NO_SECURITY });
      return undefined;
    case "EncryptedParts":
    case "EncryptedElements":
    case "ContentEncryptedElements":
      problems.push({ source: a.source, message: `${display(a.name)} is not supported: messages are signed, never encrypted`, hint: IGNORED });
      return undefined;
    case "SignedElements":
      problems.push({ source: a.source, message: "sp:SignedElements (parts named by XPath) is not supported; sp:SignedParts is", hint: IGNORED });
      return undefined;
    default:
      if (SUPPORTING_TOKENS.has(name)) {
        const tokens = [...new Set((a.nested ?? []).filter((n) => SP.has(n.name.ns) && n.name.local.endsWith("Token")).map((n) => display(n.name)))];
        problems.push({
          source: a.source,
          message: `${display(a.name)}${tokens.length === 0 ? "" : ` (${tokens.join(", ")})`} is not supported`,
          hint: "supporting tokens are not sent or checked; add them in code if the service needs them",
        });
        return undefined;
      }
      problems.push({ source: a.source, message: `${display(a.name)} is not supported`, hint: IGNORED });
      return undefined;
  }
}

/** `sp:AsymmetricBinding` (WS-SecurityPolicy 1.2, 7.5). */
function readAsymmetricBinding(a: NormalAssertion, problems: Problem[]): Requirement | undefined {
  if (a.nested === undefined) {
    problems.push({ source: a.source, message: "sp:AsymmetricBinding has no nested wsp:Policy", hint: "its tokens and algorithm suite are declared in one" });
    return undefined;
  }
  let initiator: TokenInclusion | undefined;
  let recipient: TokenInclusion | undefined;
  let suite: string | undefined;
  let layout: SecurityHeaderLayout = "lax";
  let includeTimestamp = false;
  let onlySignEntireHeadersAndBody = false;
  const seen = new Set<string>();
  for (const n of a.nested) {
    if (SP.has(n.name.ns)) seen.add(n.name.local.replace("SignatureToken", "Token"));
    if (!SP.has(n.name.ns)) {
      if (!n.ignorable) problems.push({ source: n.source, message: `policy assertion ${display(n.name)} in sp:AsymmetricBinding is not supported`, hint: IGNORED });
      continue;
    }
    switch (n.name.local) {
      case "InitiatorToken":
      case "InitiatorSignatureToken":
        initiator = readToken(n, problems) ?? initiator;
        break;
      case "RecipientToken":
      case "RecipientSignatureToken":
        recipient = readToken(n, problems) ?? recipient;
        break;
      case "InitiatorEncryptionToken":
      case "RecipientEncryptionToken":
      case "EncryptBeforeSigning":
      case "EncryptSignature":
        problems.push({ source: n.source, message: `${display(n.name)} is not supported: messages are signed, never encrypted`, hint: IGNORED });
        break;
      case "SignBeforeEncrypting":
        // The default protection order; without encryption it only means "sign".
        break;
      case "ProtectTokens":
        problems.push({ source: n.source, message: "sp:ProtectTokens (a signature that also covers the signing token) is not supported", hint: IGNORED });
        break;
      case "AlgorithmSuite":
        suite = readAlgorithmSuite(n, problems) ?? suite;
        break;
      case "Layout":
        layout = readLayout(n, problems) ?? layout;
        break;
      case "IncludeTimestamp":
        includeTimestamp = true;
        break;
      case "OnlySignEntireHeadersAndBody":
        onlySignEntireHeadersAndBody = true;
        break;
      default:
        problems.push({ source: n.source, message: `${display(n.name)} in sp:AsymmetricBinding is not supported`, hint: IGNORED });
    }
  }
  const missing = ["InitiatorToken", "RecipientToken", "AlgorithmSuite"].filter((m) => !seen.has(m)).map((m) => `sp:${m}`);
  if (missing.length > 0) problems.push({ source: a.source, message: `sp:AsymmetricBinding has no ${missing.join(", ")}`, hint: "WS-SecurityPolicy requires each of them" });
  if (initiator === undefined || recipient === undefined || suite === undefined) return undefined;
  return {
    kind: "asymmetric",
    binding: {
      binding: "asymmetric",
      initiatorToken: initiator,
      recipientToken: recipient,
      algorithmSuite: suite,
      signature: suite.includes("Sha256") ? "rsa-sha256" : "rsa-sha1",
      layout,
      includeTimestamp,
      onlySignEntireHeadersAndBody,
    },
    source: a.source,
  };
}

/** `sp:InitiatorToken` / `sp:RecipientToken`: one `sp:X509Token`, and how it is included. */
function readToken(a: NormalAssertion, problems: Problem[]): TokenInclusion | undefined {
  const tokens = (a.nested ?? []).filter((n) => !n.ignorable || SP.has(n.name.ns));
  const token = tokens[0];
  if (token === undefined || tokens.length > 1) {
    problems.push({ source: a.source, message: `${display(a.name)} must hold exactly one token assertion`, hint: "write <wsp:Policy><sp:X509Token .../></wsp:Policy> inside it" });
    return undefined;
  }
  if (!SP.has(token.name.ns) || token.name.local !== "X509Token") {
    problems.push({ source: token.source, message: `${display(token.name)} is not supported; only sp:X509Token is`, hint: NO_SECURITY });
    return undefined;
  }
  for (const n of token.nested ?? []) {
    if (!SP.has(n.name.ns)) {
      if (!n.ignorable) problems.push({ source: n.source, message: `policy assertion ${display(n.name)} in sp:X509Token is not supported`, hint: IGNORED });
      continue;
    }
    switch (n.name.local) {
      case "WssX509V3Token10":
      case "WssX509V3Token11":
      case "RequireKeyIdentifierReference":
      case "RequireIssuerSerialReference":
      case "RequireEmbeddedTokenReference":
        break;
      case "RequireThumbprintReference":
        problems.push({ source: n.source, message: "sp:RequireThumbprintReference (a key named by its SHA-1 thumbprint) is not supported", hint: "the runtime names keys by BinarySecurityToken, SubjectKeyIdentifier, issuer and serial, or the embedded certificate" });
        break;
      default:
        problems.push({ source: n.source, message: `${display(n.name)} is not supported; X.509 v3 tokens are`, hint: IGNORED });
    }
  }
  // No IncludeToken: the default, Always (WS-SecurityPolicy 1.2, 5.1).
  const attribute = token.attributes.find((x) => x.local === "IncludeToken" && (x.ns === "" || SP.has(x.ns)));
  if (attribute === undefined) return "always";
  const value = attribute.value.trim();
  const prefix = [SP11, SP12].map((ns) => `${ns}/IncludeToken/`).find((p) => value.startsWith(p));
  const inclusion = prefix === undefined ? undefined : INCLUSIONS[value.slice(prefix.length)];
  if (inclusion === undefined) {
    problems.push({ source: token.source, message: `sp:IncludeToken ${JSON.stringify(value)} is not a token inclusion URI`, hint: `expected ${SP12}/IncludeToken/ (or ${SP11}/IncludeToken/) followed by Never, Once, AlwaysToRecipient, AlwaysToInitiator or Always` });
    return undefined;
  }
  return inclusion;
}

/** `sp:AlgorithmSuite`: the suite's name (kept when other assertions in it are not supported). */
function readAlgorithmSuite(a: NormalAssertion, problems: Problem[]): string | undefined {
  let suite: string | undefined;
  for (const n of a.nested ?? []) {
    if (SP.has(n.name.ns) && ALGORITHM_SUITES.has(n.name.local) && suite === undefined) suite = n.name.local;
    else if (SP.has(n.name.ns) && SUITE_MARKERS.has(n.name.local)) continue;
    else if (SP.has(n.name.ns) && SUITE_OPTIONS.has(n.name.local)) {
      const why = n.name.local.startsWith("Inclusive") ? " (only exclusive canonicalization is)" : "";
      problems.push({ source: n.source, message: `${display(n.name)} in sp:AlgorithmSuite is not supported${why}`, hint: IGNORED });
    } else if (!n.ignorable || SP.has(n.name.ns)) {
      problems.push({ source: n.source, message: `algorithm suite ${display(n.name)} is not supported`, hint: `known suites: ${[...ALGORITHM_SUITES].join(", ")}` });
    }
  }
  if (suite === undefined && !(a.nested ?? []).some((n) => SP.has(n.name.ns) && !SUITE_MARKERS.has(n.name.local) && !SUITE_OPTIONS.has(n.name.local))) {
    problems.push({ source: a.source, message: "sp:AlgorithmSuite names no algorithm suite", hint: "write e.g. <wsp:Policy><sp:Basic256/></wsp:Policy> inside it" });
  }
  return suite;
}

/** `sp:Layout`. Without one, no order is required: read as `lax`. */
function readLayout(a: NormalAssertion, problems: Problem[]): SecurityHeaderLayout | undefined {
  const values = (a.nested ?? []).filter((n) => !n.ignorable || SP.has(n.name.ns));
  const only = values[0];
  const layout = only !== undefined && values.length === 1 && SP.has(only.name.ns) ? LAYOUTS[only.name.local] : undefined;
  if (layout === undefined) problems.push({ source: a.source, message: "sp:Layout must hold one of sp:Strict, sp:Lax, sp:LaxTsFirst, sp:LaxTsLast", hint: IGNORED });
  return layout;
}

/** `sp:SignedParts` (WS-SecurityPolicy 1.2, 4.1.1): `sp:Body`, `sp:Header Name? Namespace`. */
function readSignedParts(a: NormalAssertion, problems: Problem[]): Requirement | undefined {
  let body = false;
  const headers: SignedHeader[] = [];
  if (a.parameters.length === 0) {
    problems.push({
      source: a.source,
      message: "an empty sp:SignedParts (the Body and every header) is not supported",
      hint: "the Body is signed; name the headers to sign with sp:Header Namespace=\"...\" Name=\"...\"",
    });
    body = true;
  }
  for (const p of a.parameters) {
    if (!SP.has(p.name.ns)) {
      problems.push({ source: p.source, message: `${display(p.name)} in sp:SignedParts is not supported`, hint: IGNORED });
      continue;
    }
    if (p.name.local === "Body") body = true;
    else if (p.name.local === "Header") {
      const ns = p.attributes.find((x) => x.ns === "" && x.local === "Namespace")?.value.trim();
      const name = p.attributes.find((x) => x.ns === "" && x.local === "Name")?.value.trim();
      if (ns === undefined) {
        problems.push({ source: p.source, message: "sp:Header in sp:SignedParts has no Namespace attribute", hint: "WS-SecurityPolicy requires it" });
        continue;
      }
      // SP 1.1 examples write Name as a QName; the Namespace attribute says the namespace.
      const local = name === undefined || name === "" ? undefined : name.slice(name.indexOf(":") + 1);
      headers.push(local === undefined ? { ns } : { ns, local });
    } else {
      problems.push({ source: p.source, message: `${display(p.name)} in sp:SignedParts is not supported`, hint: IGNORED });
    }
  }
  return { kind: "signedParts", body, headers, source: a.source };
}
