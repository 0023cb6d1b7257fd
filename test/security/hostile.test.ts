/**
 * Hostile input against the running example provider with WS-Security on (`--pin mpay.crt`).
 *
 * Every case sends one crafted request over HTTP and checks four things: the HTTP status (500,
 * 413 for the size limit), the SOAP fault code (AuthenticationFailed when the signature, trust,
 * Timestamp or replay check refused it; InvalidParameter, MustUnderstand or VersionMismatch when
 * the request never got to verification), the provider's own log line naming the verifier's
 * reason, and that no handler ran: the attacks carry (or smuggle) a ConfirmOrderPayment of
 * 1000.00 on ORD-1002, which a properly signed GetOrderDetails then shows not applied; that same
 * request also shows that the server still answers good signed requests. The last case sends
 * the attack payment properly signed and sees it applied, so the observable can fail.
 *
 * Attacks start from requests signed in-process with our signEnvelope (MPay's identity) and are
 * then edited as text; where an attack needs a signature that is valid over a hostile SignedInfo
 * (Timestamp-only coverage, XSLT, ...), the digests and SignatureValue are recomputed with the
 * key of a trusted signer, so what refuses them is the policy, not the arithmetic.
 */
import { createServer, type Server } from "node:http";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeElementToString, parseXml, readEnvelope, writeEnvelope } from "@mpay-kit/runtime";
import { operations, ServiceProviderClient, type ConfirmOrderPayment, type GetOrderDetails, type OrderDetails } from "@mpay-kit/mpay-service-provider";
import { signEnvelope, type SigningIdentity, type SigningOptions } from "../../runtime/src/security/sign.ts";
import type { RejectionReason } from "../../runtime/src/security/verify.ts";
import { TrustStore } from "../../runtime/src/security/trust.ts";
import { canonicalize } from "../../runtime/src/security/c14n.ts";
import { digestBase64 } from "../../runtime/src/security/rsa.ts";
import { harnessDir, testPki, type TestPki } from "../helpers/pki.ts";
import { startProvider, type RunningProvider } from "../helpers/provider.ts";
import { hostilePki, type HostilePki } from "../helpers/hostile-pki.ts";
import { LineLog, postSoap, type SoapAnswer } from "../helpers/soap-post.ts";
import {
  addAttributes,
  appendChild,
  bodyIdOf,
  DS_NS,
  envelopeBody,
  find,
  insertAfter,
  insertBefore,
  prependChild,
  redigestAndResign,
  referenceTo,
  removeElement,
  replaceElement,
  resign,
  setContent,
  signatureOf,
  SOAP_NS,
  sourceOf,
  timestampIdOf,
  WSSE_NS,
  WSU_NS,
} from "../helpers/wssec-forge.ts";

const MPAY_NS = "https://mpay.gov.md";
const SERVICE_ID = "DEMO01";
const GET = operations.GetOrderDetails.soapAction;
const CONFIRM = operations.ConfirmOrderPayment.soapAction;

/** The fault codes a refusal may carry, as `{namespace}local`. */
const FAULTS = {
  AuthenticationFailed: { namespace: MPAY_NS, code: "AuthenticationFailed" },
  InvalidParameter: { namespace: MPAY_NS, code: "InvalidParameter" },
  MustUnderstand: { namespace: SOAP_NS, code: "MustUnderstand" },
  VersionMismatch: { namespace: SOAP_NS, code: "VersionMismatch" },
} as const;

let pki: TestPki;
let extra: HostilePki;
let provider: RunningProvider;
let log: LineLog;
let client: ServiceProviderClient;
let bait: { server: Server; url: string; hits: string[] };

beforeAll(async () => {
  pki = testPki();
  extra = hostilePki(pki);
  provider = await startProvider(["--cert", pki.provider.certPath, "--key", pki.provider.keyPath, "--trust", extra.trustBundlePath, "--pin", pki.mpay.certPath]);
  log = new LineLog(provider.process.stderr!);
  // Good requests come from our generated client, signing as MPay and verifying the provider's answers.
  client = new ServiceProviderClient({
    endpoint: provider.url,
    wsSecurity: { identity: pki.mpay, trust: new TrustStore({ anchors: [pki.ca], pins: [pki.provider.certificate] }) },
  });
  // A listener that records any request: external references and entities must never be fetched.
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? "");
    res.end("<x/>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  bait = { server, hits, url: `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}` };
});

afterAll(async () => {
  await provider?.stop();
  await new Promise<void>((resolve) => (bait === undefined ? resolve() : bait.server.close(() => resolve())));
});

// ---------------------------------------------------------------------------------------------
// Requests

const query = (orderKey = "ORD-1002") =>
  encodeElementToString(operations.GetOrderDetails.input, { query: { Language: "ro", OrderKey: orderKey, ServiceID: SERVICE_ID } } satisfies GetOrderDetails);

let paymentNumber = 0;
/** Pays 1000.00 of ORD-1002's 9267.00 (partial payment allowed): applied, it would show. */
const attackPayment = (amount = "1000.00") =>
  encodeElementToString(operations.ConfirmOrderPayment.input, {
    confirmation: {
      Currency: "MDL",
      Lines: [{ Amount: amount, LineID: "Base:1|Nb-1" }],
      OrderKey: "ORD-1002",
      PaidAt: "2025-07-10T10:51:23",
      PaymentID: `hostile-${++paymentNumber}`,
      ServiceID: SERVICE_ID,
      TotalAmount: amount,
    },
  } satisfies ConfirmOrderPayment);

function signedBy(identity: SigningIdentity, payload: string, options: Partial<SigningOptions> = {}): string {
  return signEnvelope(writeEnvelope(payload), { identity, algorithm: "rsa-sha1", keyInfo: "bst", ...options });
}
const signedByMpay = (payload: string, options: Partial<SigningOptions> = {}) => signedBy(pki.mpay, payload, options);

/** The attacker's Body: the payment, no Id (the envelope's `s` prefix is in scope). */
const attackerBody = () => `<s:Body>${attackPayment()}</s:Body>`;

/** A captured, properly signed GetOrderDetails, its signed Body's text, and the message with the attacker's Body in its place. */
function capturedQuery() {
  const captured = signedByMpay(query());
  const body = envelopeBody(captured);
  const signedBody = sourceOf(captured, body);
  return { captured, signedBody, bodyId: bodyIdOf(captured), withAttackerBody: replaceElement(captured, body, attackerBody()) };
}

/** The SOAPAction a sender would use for the Body it sends (none when the text is not an envelope we can read). */
function actionFor(message: string): string | undefined {
  if (/<(?:\w+:)?Body\b[^>]*>\s*<ConfirmOrderPayment\b/.test(message)) return CONFIRM;
  if (/<(?:\w+:)?Body\b[^>]*>\s*<GetOrderDetails\b/.test(message)) return GET;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Checks

async function order1002(): Promise<OrderDetails> {
  const answer = await client.GetOrderDetails({ query: { OrderKey: "ORD-1002", ServiceID: SERVICE_ID } });
  const order = answer.GetOrderDetailsResult?.[0];
  if (order === undefined || order === null) throw new Error("ORD-1002 is missing from the answer");
  return order;
}

/** A properly signed request is answered, and shows that no attack payment was applied. */
async function expectNothingApplied(): Promise<void> {
  const order = await order1002();
  expect(order.Status).toBe("Active");
  expect(order.TotalAmountDue).toBe("9267.00");
  expect(order.Lines[0]?.AmountDue).toBe("9267.00");
}

interface Refusal {
  readonly fault: keyof typeof FAULTS;
  /** The verifier's reason as the provider logs it (AuthenticationFailed only). */
  readonly reason?: RejectionReason;
  /** What the log line (AuthenticationFailed) or the fault string (other codes) must say. */
  readonly says?: RegExp;
  readonly status?: number;
}

async function expectRefused(message: string, expected: Refusal, url = provider.url, lineLog = log): Promise<SoapAnswer> {
  const mark = lineLog.mark();
  const soapAction = actionFor(message);
  const answer = await postSoap(url, message, soapAction === undefined ? {} : { soapAction });
  expect(answer.status, answer.text.slice(0, 400)).toBe(expected.status ?? 500);
  expect(answer.fault, answer.text.slice(0, 400)).toMatchObject(FAULTS[expected.fault]);
  if (expected.fault === "AuthenticationFailed") {
    const line = await lineLog.waitFor(/request refused/, mark);
    expect(line, "the provider logs why it refused the request").toBeDefined();
    expect(line).toContain(`request refused (${expected.reason}):`);
    if (expected.says !== undefined) expect(line).toMatch(expected.says);
  } else if (expected.says !== undefined) {
    expect(answer.fault!.reason).toMatch(expected.says);
  }
  if (url === provider.url) await expectNothingApplied();
  // One refusal line for a refused signature, none for a request that never reached the
  // verifier, and nothing else (no handler error).
  const lines = lineLog.since(mark);
  expect(lines.filter((l) => l.includes("request refused"))).toHaveLength(expected.fault === "AuthenticationFailed" ? 1 : 0);
  expect(lines.filter((l) => !l.includes("request refused"))).toEqual([]);
  return answer;
}

const refusedAs = (reason: RejectionReason, says?: RegExp): Refusal => ({ fault: "AuthenticationFailed", reason, ...(says === undefined ? {} : { says }) });

// ---------------------------------------------------------------------------------------------

describe("the provider before the attacks", () => {
  it("answers a properly signed request, and ORD-1002 is unpaid", async () => {
    await expectNothingApplied();
  });
});

describe("signature wrapping (XSW1–XSW8 of Somorovsky et al., adapted to the SOAP Body)", () => {
  it("XSW1: the signed Body copied into ds:Signature, the attacker's Body in its place", async () => {
    const { withAttackerBody, signedBody } = capturedQuery();
    await expectRefused(appendChild(withAttackerBody, signatureOf(withAttackerBody), signedBody), refusedAs("not-allowed", /ds:Object or other content after ds:KeyInfo/));
  });

  it("XSW2: the signed Body moved into wsse:Security, before the Signature", async () => {
    const { withAttackerBody, signedBody } = capturedQuery();
    await expectRefused(insertBefore(withAttackerBody, signatureOf(withAttackerBody), signedBody), refusedAs("not-covered", /does not cover the Envelope's soap:Body/));
  });

  it("XSW3: the attacker's Body inserted before the signed Body (two Bodies)", async () => {
    // The envelope itself is malformed: it is refused before verification.
    const { captured } = capturedQuery();
    await expectRefused(insertBefore(captured, envelopeBody(captured), attackerBody()), { fault: "InvalidParameter", says: /unexpected element .*Body.* after the Body/ });
  });

  it("XSW4: the signed Body nested inside the attacker's payload", async () => {
    const { withAttackerBody, signedBody } = capturedQuery();
    await expectRefused(appendChild(withAttackerBody, find(withAttackerBody, MPAY_NS, "ConfirmOrderPayment"), signedBody), refusedAs("not-covered", /does not cover the Envelope's soap:Body/));
  });

  it("XSW5: the signed Body appended after the attacker's Body", async () => {
    const { withAttackerBody, signedBody } = capturedQuery();
    await expectRefused(insertAfter(withAttackerBody, envelopeBody(withAttackerBody), signedBody), { fault: "InvalidParameter", says: /unexpected element .*Body.* after the Body/ });
  });

  it("XSW6: the signed Body inside a ds:Object of the Signature", async () => {
    const { withAttackerBody, signedBody } = capturedQuery();
    await expectRefused(appendChild(withAttackerBody, signatureOf(withAttackerBody), `<ds:Object>${signedBody}</ds:Object>`), refusedAs("not-allowed", /ds:Object/));
  });

  it("XSW7: the signed Body in a header extension wrapper (McIntosh & Austel)", async () => {
    const { withAttackerBody, signedBody } = capturedQuery();
    const header = find(withAttackerBody, SOAP_NS, "Header");
    await expectRefused(prependChild(withAttackerBody, header, `<w:Wrapper xmlns:w="urn:attacker">${signedBody}</w:Wrapper>`), refusedAs("not-covered", /does not cover the Envelope's soap:Body/));
  });

  it("XSW8: the signed Body wrapped, the attacker's Body carrying the same wsu:Id", async () => {
    const { withAttackerBody, signedBody, bodyId } = capturedQuery();
    let message = prependChild(withAttackerBody, find(withAttackerBody, SOAP_NS, "Header"), `<w:Wrapper xmlns:w="urn:attacker">${signedBody}</w:Wrapper>`);
    message = addAttributes(message, envelopeBody(message), ` xmlns:wsu="${WSU_NS}" wsu:Id="${bodyId}"`);
    await expectRefused(message, refusedAs("malformed", /the Id ".*" is carried by more than one element/));
  });

  it("the signed Body wrapped, the attacker's Body carrying the same value as an unqualified Id", async () => {
    const { withAttackerBody, signedBody, bodyId } = capturedQuery();
    let message = prependChild(withAttackerBody, find(withAttackerBody, SOAP_NS, "Header"), `<w:Wrapper xmlns:w="urn:attacker">${signedBody}</w:Wrapper>`);
    message = addAttributes(message, envelopeBody(message), ` Id="${bodyId}"`);
    await expectRefused(message, refusedAs("malformed", /carried by more than one element/));
  });

  it("the Id on a non-Body: a signature over the payload element, which is then wrapped", async () => {
    // A trusted signer signs the payload element instead of the Body; the attacker moves it away.
    const captured = signedByMpay(query());
    const bodyId = bodyIdOf(captured);
    let message = addAttributes(captured, find(captured, MPAY_NS, "GetOrderDetails"), ` xmlns:wsu="${WSU_NS}" wsu:Id="payload-1"`);
    message = message.replace(`URI="#${bodyId}"`, 'URI="#payload-1"');
    message = redigestAndResign(message, pki.mpay.privateKey);
    const signedPayload = sourceOf(message, find(message, MPAY_NS, "GetOrderDetails"));
    message = replaceElement(message, envelopeBody(message), attackerBody());
    message = prependChild(message, find(message, SOAP_NS, "Header"), `<w:Wrapper xmlns:w="urn:attacker">${signedPayload}</w:Wrapper>`);
    await expectRefused(message, refusedAs("not-covered", /does not cover the Envelope's soap:Body/));
  });

  it("Timestamp wrapping: a stale signed Timestamp wrapped, a fresh unsigned one in its place", async () => {
    const stale = signedByMpay(attackPayment(), { now: () => new Date(Date.now() - 20 * 60_000) });
    const timestamp = find(stale, WSU_NS, "Timestamp");
    const now = new Date();
    const fresh = `<wsu:Timestamp wsu:Id="TS-fresh"><wsu:Created>${now.toISOString()}</wsu:Created><wsu:Expires>${new Date(now.getTime() + 300_000).toISOString()}</wsu:Expires></wsu:Timestamp>`;
    await expectRefused(replaceElement(stale, timestamp, `<w:Old xmlns:w="urn:attacker">${sourceOf(stale, timestamp)}</w:Old>${fresh}`), refusedAs("not-covered", /does not cover the wsu:Timestamp/));
  });
});

describe("changed after signing", () => {
  it("a Body changed after signing", async () => {
    const signed = signedByMpay(attackPayment("1.00"));
    await expectRefused(signed.replaceAll(">1.00<", ">1000.00<"), refusedAs("digest", /\(s:Body\) does not match/));
  });

  it("a Body changed and its digest recomputed: SignedInfo no longer matches the SignatureValue", async () => {
    const signed = signedByMpay(attackPayment("1.00"));
    const tampered = signed.replaceAll(">1.00<", ">1000.00<");
    const bodyRef = referenceTo(tampered, `#${bodyIdOf(tampered)}`);
    const digest = digestBase64("rsa-sha1", canonicalize(find(tampered, SOAP_NS, "Body")));
    const forged = setContent(tampered, referenceDigestValue(tampered, bodyRef.start), digest);
    await expectRefused(forged, refusedAs("signature", /SignatureValue does not match/));
  });

  it("a Timestamp changed after signing (Expires pushed an hour later)", async () => {
    const signed = signedByMpay(attackPayment());
    const expires = find(signed, WSU_NS, "Expires");
    const later = new Date(Date.now() + 3_600_000).toISOString();
    await expectRefused(setContent(signed, expires, later), refusedAs("digest", /\(wsu:Timestamp\) does not match/));
  });
});

/** The ds:DigestValue element of the Reference that starts at `referenceStart`. */
function referenceDigestValue(text: string, referenceStart: number) {
  let index = 0;
  for (;;) {
    const el = find(text, DS_NS, "DigestValue", index++);
    if (el.start > referenceStart) return el;
  }
}

describe("Timestamp", () => {
  it("Timestamp removed after signing", async () => {
    const signed = signedByMpay(attackPayment());
    await expectRefused(removeElement(signed, find(signed, WSU_NS, "Timestamp")), refusedAs("timestamp", /holds no wsu:Timestamp/));
  });

  it("signed without a Timestamp (its Reference gone, validly re-signed)", async () => {
    const signed = signedByMpay(attackPayment());
    let message = removeElement(signed, referenceTo(signed, `#${timestampIdOf(signed)}`));
    message = removeElement(message, find(message, WSU_NS, "Timestamp"));
    await expectRefused(resign(message, pki.mpay.privateKey), refusedAs("timestamp", /holds no wsu:Timestamp/));
  });

  it("Timestamp duplicated", async () => {
    const signed = signedByMpay(attackPayment());
    const timestamp = find(signed, WSU_NS, "Timestamp");
    await expectRefused(insertAfter(signed, timestamp, sourceOf(signed, timestamp)), refusedAs("malformed", /more than one wsu:Timestamp/));
  });

  it("expired Timestamp (Expires passed, Created within the age limit)", async () => {
    const signed = signedByMpay(attackPayment(), { now: () => new Date(Date.now() - 120_000), timestampSeconds: 5 });
    await expectRefused(signed, refusedAs("timestamp", /expired at/));
  });

  it("old Timestamp with a far Expires (Created 20 minutes ago, valid for 2 hours)", async () => {
    const signed = signedByMpay(attackPayment(), { now: () => new Date(Date.now() - 20 * 60_000), timestampSeconds: 7200 });
    await expectRefused(signed, refusedAs("timestamp", /too old/));
  });

  it("Timestamp in the future (10 minutes ahead)", async () => {
    const signed = signedByMpay(attackPayment(), { now: () => new Date(Date.now() + 10 * 60_000) });
    await expectRefused(signed, refusedAs("timestamp", /in the future/));
  });

  it("replay of an accepted request", async () => {
    const signed = signedByMpay(query());
    const first = await postSoap(provider.url, signed, { soapAction: GET });
    expect(first.status).toBe(200);
    expect(first.payload).toBe(`{${MPAY_NS}}GetOrderDetailsResponse`);
    await expectRefused(signed, refusedAs("replay", /already accepted once/));
  });
});

describe("who signed", () => {
  it("unsigned request", async () => {
    await expectRefused(writeEnvelope(attackPayment()), refusedAs("unsigned", /no wsse:Security header/));
  });

  it("a Security header with a Timestamp and no Signature", async () => {
    const signed = signedByMpay(attackPayment());
    await expectRefused(removeElement(signed, signatureOf(signed)), refusedAs("unsigned", /holds no ds:Signature/));
  });

  it("untrusted CA (same name as the trusted CA) issuing a certificate with MPay's DN", async () => {
    await expectRefused(signedBy(extra.untrustedIssuer, attackPayment()), refusedAs("untrusted", /not the pinned certificate/));
  });

  it("self-signed rogue certificate with MPay's DN", async () => {
    await expectRefused(signedBy(pki.rogue, attackPayment()), refusedAs("untrusted", /not the pinned certificate/));
  });

  it("expired certificate with MPay's DN, issued by a trusted CA", async () => {
    await expectRefused(signedBy(extra.expired, attackPayment()), refusedAs("untrusted", /expired on/));
  });

  it("certificate without the digitalSignature key usage, MPay's DN, issued by a trusted CA", async () => {
    await expectRefused(signedBy(extra.noDigitalSignature, attackPayment()), refusedAs("untrusted", /does not allow digital signatures \(KeyUsage\)/));
  });

  it("a valid CA-issued certificate that is not the pinned MPay one (provider.crt signs)", async () => {
    await expectRefused(signedBy(pki.provider, attackPayment()), refusedAs("untrusted", /not the pinned certificate/));
  });

  it("certificate substitution: signed with the rogue key, MPay's certificate in the BinarySecurityToken", async () => {
    const signed = signedBy(pki.rogue, attackPayment());
    const token = find(signed, WSSE_NS, "BinarySecurityToken");
    await expectRefused(setContent(signed, token, pki.mpay.certificate.raw.toString("base64")), refusedAs("signature", /SignatureValue does not match/));
  });
});

describe("what the signature says (validly signed by MPay's key, refused on policy)", () => {
  it("signature over the Timestamp only, the Body then replaced", async () => {
    const signed = signedByMpay(query());
    let message = resign(removeElement(signed, referenceTo(signed, `#${bodyIdOf(signed)}`)), pki.mpay.privateKey);
    // The Body element (and its wsu:Id) stays; only its payload becomes the attacker's.
    message = replaceElement(message, find(message, MPAY_NS, "GetOrderDetails"), attackPayment());
    await expectRefused(message, refusedAs("not-covered", /does not cover the Envelope's soap:Body/));
  });

  it("signature over the Body only", async () => {
    const signed = signedByMpay(attackPayment());
    await expectRefused(resign(removeElement(signed, referenceTo(signed, `#${timestampIdOf(signed)}`)), pki.mpay.privateKey), refusedAs("not-covered", /does not cover the wsu:Timestamp/));
  });

  it("Reference to an external URI (http://…), which is never fetched", async () => {
    const signed = signedByMpay(attackPayment());
    const message = resign(signed.replace(`URI="#${bodyIdOf(signed)}"`, `URI="${bait.url}/body.xml#${bodyIdOf(signed)}"`), pki.mpay.privateKey);
    await expectRefused(message, refusedAs("not-allowed", /only same-document references/));
    expect(bait.hits).toEqual([]);
  });

  it("Reference with an empty URI (the whole document)", async () => {
    const signed = signedByMpay(attackPayment());
    await expectRefused(resign(signed.replace(`URI="#${bodyIdOf(signed)}"`, 'URI=""'), pki.mpay.privateKey), refusedAs("not-allowed", /only same-document references/));
  });

  const replaceBodyTransforms = (signed: string, transforms: string) => {
    const reference = referenceTo(signed, `#${bodyIdOf(signed)}`);
    const current = find(signed, DS_NS, "Transforms", [...signed.slice(0, reference.start).matchAll(/<ds:Transforms>/g)].length);
    return resign(replaceElement(signed, current, `<ds:Transforms>${transforms}</ds:Transforms>`), pki.mpay.privateKey);
  };

  it("XSLT transform on the Body", async () => {
    const signed = signedByMpay(attackPayment());
    const xslt = `<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116"><xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="1.0"><xsl:template match="/"><xsl:copy-of select="document('${bait.url}/xslt')"/></xsl:template></xsl:stylesheet></ds:Transform>`;
    await expectRefused(replaceBodyTransforms(signed, xslt), refusedAs("not-allowed", /REC-xslt-19991116; only exclusive C14N/));
    expect(bait.hits).toEqual([]);
  });

  it("enveloped-signature transform on the Body", async () => {
    const signed = signedByMpay(attackPayment());
    const transforms = `<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"></ds:Transform><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"></ds:Transform>`;
    await expectRefused(replaceBodyTransforms(signed, transforms), refusedAs("not-allowed", /has 2 transforms/));
  });

  it("XPath filter transform on the Body", async () => {
    const signed = signedByMpay(attackPayment());
    const xpath = `<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"><ds:XPath>not(ancestor-or-self::*[local-name()='ConfirmOrderPayment'])</ds:XPath></ds:Transform>`;
    await expectRefused(replaceBodyTransforms(signed, xpath), refusedAs("not-allowed", /REC-xpath-19991116; only exclusive C14N/));
  });

  it("canonicalization with comments", async () => {
    const signed = signedByMpay(attackPayment());
    const message = signed.replace('<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#">', '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#WithComments">');
    expect(message).not.toBe(signed);
    await expectRefused(resign(message, pki.mpay.privateKey), refusedAs("not-allowed", /only exclusive C14N without comments/));
  });

  it("HMAC SignatureMethod with HMACOutputLength 0 and an empty SignatureValue (CVE-2009-0217)", async () => {
    const signed = signedByMpay(attackPayment());
    let message = signed.replace(/<ds:SignatureMethod Algorithm="[^"]+"><\/ds:SignatureMethod>/, '<ds:SignatureMethod Algorithm="http://www.w3.org/2000/09/xmldsig#hmac-sha1"><ds:HMACOutputLength>0</ds:HMACOutputLength></ds:SignatureMethod>');
    message = setContent(message, find(message, DS_NS, "SignatureValue"), "");
    await expectRefused(message, refusedAs("not-allowed", /hmac-sha1 is not accepted/));
  });

  it("RSA SignatureMethod carrying an HMACOutputLength parameter", async () => {
    const signed = signedByMpay(attackPayment());
    const message = signed.replace(/<ds:SignatureMethod Algorithm="([^"]+)"><\/ds:SignatureMethod>/, '<ds:SignatureMethod Algorithm="$1"><ds:HMACOutputLength>160</ds:HMACOutputLength></ds:SignatureMethod>');
    await expectRefused(resign(message, pki.mpay.privateKey), refusedAs("not-allowed", /has parameters \(e\.g\. HMACOutputLength\)/));
  });

  it("17 References (more canonicalization work than allowed)", async () => {
    const signed = signedByMpay(attackPayment());
    const reference = referenceTo(signed, `#${timestampIdOf(signed)}`);
    const copies = sourceOf(signed, reference).repeat(15);
    await expectRefused(resign(insertAfter(signed, reference, copies), pki.mpay.privateKey), refusedAs("not-allowed", /17 references; at most 16/));
  });

  it("a second wsse:Security header", async () => {
    const signed = signedByMpay(attackPayment());
    const security = find(signed, WSSE_NS, "Security");
    await expectRefused(insertAfter(signed, security, sourceOf(signed, security)), refusedAs("malformed", /more than one wsse:Security header/));
  });

  it("a second ds:Signature in the Security header", async () => {
    const signed = signedByMpay(attackPayment());
    const signature = signatureOf(signed);
    await expectRefused(insertAfter(signed, signature, sourceOf(signed, signature)), refusedAs("malformed", /more than one ds:Signature/));
  });

  it("KeyInfo pointing at a BinarySecurityToken outside the Security header", async () => {
    const signed = signedByMpay(attackPayment());
    const token = find(signed, WSSE_NS, "BinarySecurityToken");
    let message = removeElement(signed, token);
    message = prependChild(message, find(message, SOAP_NS, "Header"), `<w:Tokens xmlns:w="urn:attacker" xmlns:wsse="${WSSE_NS}" xmlns:wsu="${WSU_NS}">${sourceOf(signed, token)}</w:Tokens>`);
    await expectRefused(message, refusedAs("unknown-key", /not in the wsse:Security header/));
  });
});

describe("malformed or oversized XML: refused before verification", () => {
  it("huge message over the 1 MiB size limit (HTTP 413)", async () => {
    const signed = signedByMpay(attackPayment());
    const padded = prependChild(signed, find(signed, SOAP_NS, "Header"), `<x:Padding xmlns:x="urn:attacker">${"A".repeat(1024 * 1024 + 1)}</x:Padding>`);
    await expectRefused(padded, { fault: "InvalidParameter", status: 413, says: /larger than the 1048576-byte limit/ });
  });

  it("deeply nested message (300 levels, over the depth limit of 256)", async () => {
    const signed = signedByMpay(attackPayment());
    const deep = `${'<x:d xmlns:x="urn:attacker">'.repeat(300)}${"</x:d>".repeat(300)}`;
    await expectRefused(prependChild(signed, find(signed, SOAP_NS, "Header"), deep), { fault: "InvalidParameter", says: /maximum element depth 256 exceeded/ });
  });

  it("DOCTYPE with nested internal entities (billion laughs)", async () => {
    const signed = signedByMpay(query());
    const entities = ['<!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? "" : i};`.repeat(10)}">`)].join("");
    const message = `<?xml version="1.0"?><!DOCTYPE s:Envelope [${entities}]>${signed.replace(">ORD-1002<", ">&lol9;<")}`;
    const answer = await expectRefused(message, { fault: "InvalidParameter", says: /DOCTYPE is not allowed/ });
    expect(answer.elapsedMs).toBeLessThan(1000);
  });

  it("external entities (XXE: a local file and an http URL), never resolved", async () => {
    const signed = signedByMpay(query());
    const doctype = `<!DOCTYPE s:Envelope [<!ENTITY file SYSTEM "file:///etc/passwd"><!ENTITY remote SYSTEM "${bait.url}/xxe">]>`;
    const answer = await expectRefused(doctype + signed.replace(">ORD-1002<", ">&file;&remote;<"), { fault: "InvalidParameter", says: /DOCTYPE is not allowed/ });
    expect(answer.text).not.toMatch(/root:/);
    expect(bait.hits).toEqual([]);
  });

  it("a mustUnderstand header the provider does not understand (SOAP MustUnderstand, before verification)", async () => {
    const signed = signedByMpay(attackPayment());
    const message = prependChild(signed, find(signed, SOAP_NS, "Header"), '<x:Routing xmlns:x="urn:attacker" s:mustUnderstand="1">elsewhere</x:Routing>');
    await expectRefused(message, { fault: "MustUnderstand", says: /\{urn:attacker\}Routing is marked mustUnderstand/ });
  });

  it("a SOAP 1.2 envelope sent as text/xml (a SOAP 1.2 Sender fault, 400, the contract's invalid-request code)", async () => {
    const message = `<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body>${attackPayment()}</e:Body></e:Envelope>`;
    const mark = log.mark();
    const answer = await postSoap(provider.url, message, { soapAction: CONFIRM });
    expect(answer.status, answer.text.slice(0, 400)).toBe(400);
    const fault = readEnvelope(parseXml(answer.text), "1.2").payload!;
    expect(`{${fault.ns}}${fault.local}`).toBe("{http://www.w3.org/2003/05/soap-envelope}Fault");
    expect(answer.text).toMatch(/<e:Value>e:Sender<\/e:Value><e:Subcode><e:Value xmlns:c="https:\/\/mpay\.gov\.md">c:InvalidParameter</);
    expect(answer.text).toContain("SOAP 1.2 envelope sent as text/xml");
    await expectNothingApplied();
    expect(log.since(mark)).toEqual([]);
  });
});

describe("accepted on purpose: what is read is what was signed", () => {
  it("a comment inserted into signed text after signing changes nothing: the whole value is read", async () => {
    // C14N without comments ignores it, so the signature holds; a reader that stopped at the
    // comment (the 2018 SAML comment-truncation bugs) would answer ORD-1002 here.
    const signed = signedByMpay(query("ORD-1002-X"));
    const message = signed.replace(">ORD-1002-X<", ">ORD-1002<!---->-X<");
    const answer = await postSoap(provider.url, message, { soapAction: GET });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.text).not.toContain("<OrderKey>ORD-1002</OrderKey>");
    expect(answer.text).toMatch(/<GetOrderDetailsResult\s*\/>|<GetOrderDetailsResult><\/GetOrderDetailsResult>/);
  });

  it("a processing instruction inserted into the signed Body after signing is refused (SOAP messages carry none)", async () => {
    const signed = signedByMpay(query());
    const message = prependChild(signed, envelopeBody(signed), "<?audit note?>");
    await expectRefused(message, { fault: "InvalidParameter", says: /processing instruction <\?audit \.\.\.\?> is not allowed/ });
    // libxmlsec1 keeps PIs in C14N: the same bytes fail there too. See docs/security.md.
    const xmlsec = verifyWithXmlsec1(message, pki.mpay.certPath);
    if (xmlsec !== undefined) expect(xmlsec.status, xmlsec.output).toBe(1);
  });

  it("a Body signed with a processing instruction inside (as libxmlsec1 digests it) is refused before verification", async () => {
    const signed = signedByMpay(query());
    let message = prependChild(signed, envelopeBody(signed), "<?audit note?>");
    const body = envelopeBody(message);
    const canonical = canonicalize(body);
    const withPi = canonical.replace(/^(<[^>]*>)/, "$1<?audit note?>");
    message = setContent(message, referenceDigestValue(message, referenceTo(message, `#${bodyIdOf(message)}`).start), digestBase64("rsa-sha1", withPi));
    message = resign(message, pki.mpay.privateKey);
    const xmlsec = verifyWithXmlsec1(message, pki.mpay.certPath);
    if (xmlsec !== undefined) expect(xmlsec.status, `libxmlsec1 accepts this signature: ${xmlsec.output}`).toBe(0);
    await expectRefused(message, { fault: "InvalidParameter", says: /processing instruction <\?audit \.\.\.\?> is not allowed/ });
  });
});

/** The harness's verify_xmlsec.sh on `message`: exit status and output, or undefined when xmlsec1 is missing (outside CI). */
function verifyWithXmlsec1(message: string, certPath: string): { readonly status: number; readonly output: string } | undefined {
  if (!existsSync("/usr/bin/xmlsec1") && process.env.CI !== "true") return undefined;
  const dir = mkdtempSync(join(tmpdir(), "mpay-kit-hostile-"));
  const file = join(dir, "message.xml");
  writeFileSync(file, message);
  const run = spawnSync("bash", [join(harnessDir, "verify_xmlsec.sh"), "--cert", certPath, file], { encoding: "utf8" });
  return { status: run.status ?? -1, output: `${run.stdout}${run.stderr}` };
}

describe("without --pin, the chain check itself refuses what the pin refused above", () => {
  let unpinned: RunningProvider;
  let unpinnedLog: LineLog;
  beforeAll(async () => {
    unpinned = await startProvider(["--cert", pki.provider.certPath, "--key", pki.provider.keyPath, "--trust", extra.trustBundlePath]);
    unpinnedLog = new LineLog(unpinned.process.stderr!);
  });
  afterAll(() => unpinned?.stop());

  it("untrusted CA with the trusted CA's name", async () => {
    await expectRefused(signedBy(extra.untrustedIssuer, attackPayment()), refusedAs("untrusted", /not issued by a trusted authority/), unpinned.url, unpinnedLog);
  });

  it("self-signed rogue certificate with MPay's DN", async () => {
    await expectRefused(signedBy(pki.rogue, attackPayment()), refusedAs("untrusted", /self-signed and is not a trusted certificate/), unpinned.url, unpinnedLog);
  });

  it("provider.crt, refused above only by the pin, is accepted here", async () => {
    const answer = await postSoap(unpinned.url, signedBy(pki.provider, query()), { soapAction: GET });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.payload).toBe(`{${MPAY_NS}}GetOrderDetailsResponse`);
  });
});

describe("how a refusal is answered", () => {
  // Signing is for answers to verified requests (server.ts, wsSecurityServer): a signed refusal
  // would give any unauthenticated caller a private-key operation per request and
  // provider-signed messages on demand.
  it("the fault that refuses an unverified request is not signed", async () => {
    const answer = await postSoap(provider.url, writeEnvelope(query()), { soapAction: GET });
    expect(answer.fault).toMatchObject(FAULTS.AuthenticationFailed);
    expect(answer.signed).toBe(false);
  });
});

describe("after the attacks", () => {
  it("the attack payment itself, properly signed, is applied: the observable works", async () => {
    const answer = await postSoap(provider.url, signedByMpay(attackPayment()), { soapAction: CONFIRM });
    expect(answer.status, answer.text).toBe(200);
    const order = await order1002();
    expect(order.Status).toBe("PartiallyPaid");
    expect(order.TotalAmountDue).toBe("8267.00");
  });
});
