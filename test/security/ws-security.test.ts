/**
 * Signing and verifying WS-Security envelopes: our signer against our verifier over the whole
 * matrix, tampering, structural attacks at the unit level, and both directions against the
 * independent peers (libxmlsec1 through the harness's python3-xmlsec code, and the xmlsec1
 * command line).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseXml } from "../../runtime/src/xml/parse.ts";
import { readEnvelope, writeEnvelope } from "../../runtime/src/soap/envelope.ts";
import { signEnvelope, signEnvelopeUtf8 } from "../../runtime/src/security/sign.ts";
import { SignatureRejected, verifyEnvelope, type VerificationOptions } from "../../runtime/src/security/verify.ts";
import { MemoryReplayCache } from "../../runtime/src/security/replay.ts";
import { TrustStore } from "../../runtime/src/security/trust.ts";
import { KEY_INFO_FORMS, type SignatureAlgorithm } from "../../runtime/src/security/algorithms.ts";
import { harnessDir, testPki, type TestPki } from "../helpers/pki.ts";

const PAYLOAD =
  '<GetOrderDetails xmlns="https://mpay.gov.md"><query><Language>ro</Language><OrderKey>ORD-1001</OrderKey><ServiceID>DEMO01</ServiceID></query></GetOrderDetails>';
const REQUEST = writeEnvelope(PAYLOAD);
const ALGORITHMS: SignatureAlgorithm[] = ["rsa-sha1", "rsa-sha256"];

let pki: TestPki;
let trust: TrustStore;
beforeAll(() => {
  pki = testPki();
  trust = new TrustStore({ anchors: [pki.ca], peers: [pki.mpay.certificate, pki.provider.certificate] });
});

function verify(text: string, options: Partial<VerificationOptions> = {}) {
  const document = parseXml(text);
  return verifyEnvelope(document, readEnvelope(document), { trust, ...options });
}

function rejection(text: string, options: Partial<VerificationOptions> = {}): SignatureRejected {
  try {
    verify(text, options);
  } catch (error) {
    if (error instanceof SignatureRejected) return error;
    throw error;
  }
  throw new Error("the message was accepted");
}

const signAsMpay = (options: Partial<Parameters<typeof signEnvelope>[1]> = {}, envelope = REQUEST) =>
  signEnvelope(envelope, { identity: pki.mpay, algorithm: "rsa-sha1", keyInfo: "bst", ...options });

describe("sign then verify", () => {
  for (const algorithm of ALGORITHMS) {
    for (const keyInfo of KEY_INFO_FORMS) {
      for (const inclusivePrefixes of [false, true]) {
        it(`${algorithm}, KeyInfo ${keyInfo}, ${inclusivePrefixes ? "with" : "without"} PrefixList`, () => {
          const signed = signAsMpay({ algorithm, keyInfo, inclusivePrefixes });
          const result = verify(signed);
          expect(result.signer.fingerprint256).toBe(pki.mpay.certificate.fingerprint256);
          expect(result.algorithm).toBe(algorithm);
          expect(result.keyInfo).toBe(keyInfo);
          expect(signed.includes("InclusiveNamespaces")).toBe(inclusivePrefixes);
          // The payload itself is untouched, byte for byte.
          expect(signed).toContain(PAYLOAD);
        });
      }
    }
  }

  it("keeps an existing Header and its blocks, and a Body's existing wsu:Id", () => {
    const envelope = `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"><soap:Header><x:Trace xmlns:x="urn:t">1</x:Trace></soap:Header><soap:Body wsu:Id="body-1">${PAYLOAD}</soap:Body></soap:Envelope>`;
    const signed = signAsMpay({}, envelope);
    expect(signed).toContain('<x:Trace xmlns:x="urn:t">1</x:Trace>');
    expect(signed).toContain('URI="#body-1"');
    expect(verify(signed).covered.length).toBe(2);
  });

  it("opens an empty-element Header and signs an envelope in the default namespace", () => {
    const envelope = `<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"><Header/><Body>${PAYLOAD}</Body></Envelope>`;
    expect(verify(signAsMpay({}, envelope)).signer.subject).toBe(pki.mpay.certificate.subject);
  });

  it("refuses to sign twice and to sign what is not an envelope", () => {
    expect(() => signAsMpay({}, signAsMpay())).toThrow(/already has a wsse:Security/);
    expect(() => signAsMpay({}, "<a/>")).toThrow(/not a SOAP 1.1 or 1.2 envelope/);
  });
});

describe("signing UTF-8 bytes (signEnvelopeUtf8, what the server sends)", () => {
  const utf8 = (text: string) => Buffer.from(text, "utf8").toString("latin1");
  const text = (bytes: string) => Buffer.from(bytes, "latin1").toString("utf8");
  const ROMANIAN = '<Answer xmlns="urn:a" note="plată în avans"><Reason>Comandă achitată &amp; închisă ș ț 𝄞</Reason></Answer>';

  for (const keyInfo of KEY_INFO_FORMS) {
    for (const inclusivePrefixes of [false, true]) {
      it(`non-ASCII content, KeyInfo ${keyInfo}, ${inclusivePrefixes ? "with" : "without"} PrefixList: the result is bytes, and its text verifies`, () => {
        const signed = signEnvelopeUtf8(utf8(writeEnvelope(ROMANIAN)), { identity: pki.mpay, algorithm: "rsa-sha256", keyInfo, inclusivePrefixes });
        expect(/[^\x00-\xff]/.test(signed)).toBe(false);
        const decoded = text(signed);
        expect(decoded).toContain(ROMANIAN);
        expect(verify(decoded).keyInfo).toBe(keyInfo);
      });
    }
  }

  it("falls back to the text path for a non-ASCII name and for a character reference above U+00FF, with the same result", () => {
    for (const payload of ['<Адрес xmlns="urn:a"><Улица>Ștefan cel Mare</Улица></Адрес>', '<Answer xmlns="urn:a">Plat&#x103; &#259; &#x1D11E;</Answer>']) {
      const signed = signEnvelopeUtf8(utf8(writeEnvelope(payload)), { identity: pki.mpay, algorithm: "rsa-sha1", keyInfo: "bst" });
      expect(/[^\x00-\xff]/.test(signed)).toBe(false);
      const decoded = text(signed);
      expect(decoded).toContain(payload);
      expect(verify(decoded).covered.length).toBe(2);
    }
  });

  it("keeps a Body's existing non-ASCII wsu:Id and an existing Header", () => {
    const envelope = `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"><soap:Header><x:Trace xmlns:x="urn:t">ț</x:Trace></soap:Header><soap:Body wsu:Id="corp-ă">${ROMANIAN}</soap:Body></soap:Envelope>`;
    const decoded = text(signEnvelopeUtf8(utf8(envelope), { identity: pki.mpay, algorithm: "rsa-sha1", keyInfo: "x509" }));
    expect(decoded).toContain('URI="#corp-ă"');
    expect(decoded).toContain('<x:Trace xmlns:x="urn:t">ț</x:Trace>');
    expect(verify(decoded).covered.length).toBe(2);
  });

  it("libxmlsec1 verifies the bytes, non-ASCII content included", () => {
    const cases = (["bst", "x509"] as const).flatMap((keyInfo) => [false, true].map((inclusivePrefixes) => ({ algorithm: "rsa-sha1" as const, keyInfo, inclusivePrefixes })));
    const results = peer(
      cases.map((c) => ({
        op: "verify",
        message: text(signEnvelopeUtf8(utf8(writeEnvelope(ROMANIAN)), { identity: pki.provider, ...c })),
        peer_certs: [pki.provider.certPath],
        ca: pki.caPath,
      })),
    );
    cases.forEach((c, i) => expect(results[i], JSON.stringify(c)).toMatchObject({ ok: true }));
  });

  it("refuses what signEnvelope refuses", () => {
    expect(() => signEnvelopeUtf8(utf8(signAsMpay()), { identity: pki.mpay })).toThrow(/already has a wsse:Security/);
    expect(() => signEnvelopeUtf8("<a/>", { identity: pki.mpay })).toThrow(/not a SOAP 1.1 or 1.2 envelope/);
  });
});

describe("tampering", () => {
  it("a byte of the Body changed after signing", () => {
    const signed = signAsMpay();
    expect(rejection(signed.replace("ORD-1001", "ORD-1002")).reason).toBe("digest");
  });

  it("a byte of the Timestamp changed after signing", () => {
    const signed = signAsMpay();
    const tampered = signed.replace(/(<wsu:Expires>[^<]*?)(\d)Z</, (_m, head: string, digit: string) => `${head}${(Number(digit) + 1) % 10}Z<`);
    expect(tampered).not.toBe(signed);
    expect(rejection(tampered).reason).toBe("digest");
  });

  it("a byte of SignedInfo changed after signing", () => {
    const signed = signAsMpay();
    expect(rejection(signed.replace("<ds:SignedInfo>", "<ds:SignedInfo> ")).reason).toBe("signature");
  });

  it("a byte of the SignatureValue changed", () => {
    const signed = signAsMpay();
    const tampered = signed.replace(/<ds:SignatureValue>(.)/, (_m, c: string) => `<ds:SignatureValue>${c === "A" ? "B" : "A"}`);
    expect(rejection(tampered).reason).toBe("signature");
  });
});

describe("what the signature must cover", () => {
  it("refuses an unsigned message", () => {
    expect(rejection(REQUEST).reason).toBe("unsigned");
  });

  it("refuses a second Body smuggled in front of the signed one (wrapping)", () => {
    const signed = signAsMpay();
    // The signed Body moves into a header wrapper; a new Body with the attacker's payload takes its place.
    const bodyStart = signed.indexOf("<s:Body");
    const bodyEnd = signed.indexOf("</s:Body>") + "</s:Body>".length;
    const signedBody = signed.slice(bodyStart, bodyEnd);
    const evil = signed.slice(0, bodyStart) + `<s:Body>${PAYLOAD.replace("ORD-1001", "ORD-6666")}</s:Body>` + signed.slice(bodyEnd);
    const wrapped = evil.replace("</s:Header>", `<w:Wrapper xmlns:w="urn:evil">${signedBody}</w:Wrapper></s:Header>`);
    expect(rejection(wrapped).reason).toBe("not-covered");
  });

  it("refuses duplicate Ids", () => {
    const signed = signAsMpay();
    const id = /<s:Body[^>]*wsu:Id="([^"]+)"/.exec(signed)![1]!;
    const dup = signed.replace("</s:Header>", `<w:X xmlns:w="urn:evil" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd" wsu:Id="${id}"/></s:Header>`);
    expect(rejection(dup).reason).toBe("malformed");
  });

  it("refuses a signature without a Timestamp when one is required, accepts it when not", () => {
    const signed = signAsMpay();
    // Drop the Timestamp and its Reference: the signature no longer matches SignedInfo, so build it by hand instead.
    const noTimestamp = signed.replace(/<wsu:Timestamp[\s\S]*?<\/wsu:Timestamp>/, "");
    expect(rejection(noTimestamp).reason).toBe("timestamp");
  });

  it("refuses a Reference to an external URI or with another transform", () => {
    const signed = signAsMpay();
    expect(rejection(signed.replace(/URI="#id-/, 'URI="http://evil.example/#id-')).reason).toBe("not-allowed");
    expect(rejection(signed.replace(/<ds:Transform Algorithm="[^"]+">/, '<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116">')).reason).toBe("not-allowed");
  });
});

describe("timestamps, replay, trust", () => {
  it("refuses an expired and a future Timestamp", () => {
    const signed = signAsMpay({ timestampSeconds: 60 });
    const later = () => new Date(Date.now() + 10 * 60_000);
    expect(rejection(signed, { now: later }).reason).toBe("timestamp");
    const earlier = () => new Date(Date.now() - 10 * 60_000);
    expect(rejection(signed, { now: earlier }).reason).toBe("timestamp");
  });

  it("reads Created and Expires as instants, offsets and fractions included, and refuses impossible ones", () => {
    const signed = signAsMpay({ timestampSeconds: 300 });
    const withTimes = (created: string, expires: string) =>
      signed.replace(/<wsu:Created>[^<]*<\/wsu:Created>/, `<wsu:Created>${created}</wsu:Created>`).replace(/<wsu:Expires>[^<]*<\/wsu:Expires>/, `<wsu:Expires>${expires}</wsu:Expires>`);
    /** The instant written with a UTC offset of `minutes`, e.g. +02:00. */
    const written = (at: Date, minutes: number, fraction = "") => {
      const local = new Date(at.getTime() + minutes * 60_000).toISOString().slice(0, 19);
      const sign = minutes < 0 ? "-" : "+";
      const abs = Math.abs(minutes);
      return `${local}${fraction}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
    };
    const created = new Date(Math.ceil(Date.now() / 1000) * 1000);
    const expires = new Date(created.getTime() + 300_000).toISOString();
    const soon = () => new Date(created.getTime() + 30_000);
    const late = () => new Date(created.getTime() + 2 * 3600_000 + 30_000);
    // Fresh 30 s after the instant (the edited text then fails its digest), too old two hours later.
    for (const text of [written(created, 120, ".5"), written(created, -330), written(created, 0).replace("+00:00", "Z")]) {
      expect(rejection(withTimes(text, expires), { now: soon }).reason, text).toBe("digest");
      expect(rejection(withTimes(text, expires), { now: late }).reason, text).toBe("timestamp");
    }
    // Milliseconds come from the fraction: at exactly the maximum age the message is still fresh (and fails its
    // digest), 1 ms later too old; with Z (read without the regular expression) and with an offset.
    const at = new Date(created.getTime() + 570);
    for (const text of [`${at.toISOString().slice(0, 19)}.57Z`, `${at.toISOString().slice(0, 19)}.5700001Z`, written(at, 60, ".57")]) {
      expect(rejection(withTimes(text, expires), { now: () => new Date(at.getTime() + 300_000) }).reason, text).toBe("digest");
      expect(rejection(withTimes(text, expires), { now: () => new Date(at.getTime() + 300_001) }).reason, text).toBe("timestamp");
    }
    const year = created.getUTCFullYear();
    for (const bad of [`${year}-02-30T10:00:00Z`, `${year}-02-28T24:00:00Z`, `${year}-02-28T10:60:00Z`, `${year}-02-28T10:00:00+14:30`, `${year}-13-01T10:00:00Z`, `${year}-02-28T10:00:00`, `${year}-02-28 10:00:00Z`, `${year}-02-28T10:00:00.Z`, `${year}-2-28T10:00:00Z`, `${year}-02-28T10:00:0xZ`]) {
      const r = rejection(withTimes(bad, expires), { now: soon });
      expect([r.reason, r.message], bad).toEqual(["timestamp", expect.stringMatching(/not a valid instant|not a dateTime with a time zone/)]);
    }
  });

  it("refuses a replay within the window", () => {
    const replay = new MemoryReplayCache();
    const signed = signAsMpay();
    verify(signed, { replay });
    expect(rejection(signed, { replay }).reason).toBe("replay");
  });

  it("refuses a replay whose SignatureValue is spelled another way (line breaks, padding bits decoders ignore)", () => {
    const replay = new MemoryReplayCache();
    const signed = signAsMpay();
    verify(signed, { replay });
    const value = /<ds:SignatureValue>([^<]+)<\/ds:SignatureValue>/.exec(signed)![1]!;
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    // A 2,048-bit value is 256 bytes: its last quantum holds one byte, so the 4 low bits of the char before "==" are padding.
    expect(value.endsWith("==")).toBe(true);
    const last = alphabet.indexOf(value[value.length - 3]!);
    const respelled = [value.replace(/(.{64})/g, "$1\n"), `${value.slice(0, -3)}${alphabet[last | 1]}==`];
    for (const other of respelled) {
      expect(Buffer.from(other, "base64").equals(Buffer.from(value, "base64"))).toBe(true);
      expect(rejection(signed.replace(value, other), { replay }).reason).toBe("replay");
    }
  });

  it("refuses a self-signed certificate with MPay's name", () => {
    const signed = signEnvelope(REQUEST, { identity: pki.rogue, algorithm: "rsa-sha1", keyInfo: "bst" });
    expect(rejection(signed).reason).toBe("untrusted");
  });

  it("refuses a valid certificate that is not the pinned one", () => {
    const pinned = new TrustStore({ anchors: [pki.ca], pins: [pki.mpay.certificate] });
    const signed = signEnvelope(REQUEST, { identity: pki.provider, algorithm: "rsa-sha1", keyInfo: "bst" });
    expect(rejection(signed, { trust: pinned }).reason).toBe("untrusted");
    expect(verify(signAsMpay(), { trust: pinned }).signer.fingerprint256).toBe(pki.mpay.certificate.fingerprint256);
  });

  it("refuses a KeyInfo form or algorithm the settings do not accept", () => {
    expect(rejection(signAsMpay({ keyInfo: "x509" }), { keyInfo: ["bst"] }).reason).toBe("not-allowed");
    expect(rejection(signAsMpay({ algorithm: "rsa-sha1" }), { algorithms: ["rsa-sha256"] }).reason).toBe("not-allowed");
  });
});

/** Runs jobs through the harness's python3-xmlsec code in one process. */
function peer(jobs: object[]): { ok: boolean; message?: string; error?: string; info?: Record<string, unknown> }[] {
  const out = execFileSync("/usr/bin/python3", [join(import.meta.dirname, "wssec_peer.py")], { input: JSON.stringify(jobs), maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out.toString());
}

describe("independent peers", () => {
  it("libxmlsec1 (harness wssec.py) verifies what we sign, in MPay's three KeyInfo forms and both algorithms", () => {
    const cases = ALGORITHMS.flatMap((algorithm) => (["bst", "ski", "x509"] as const).flatMap((keyInfo) => [false, true].map((inclusivePrefixes) => ({ algorithm, keyInfo, inclusivePrefixes }))));
    const results = peer(
      cases.map((c) => ({
        op: "verify",
        message: signEnvelope(REQUEST, { identity: pki.provider, ...c }),
        peer_certs: [pki.provider.certPath],
        ca: pki.caPath,
      })),
    );
    cases.forEach((c, i) => expect(results[i], JSON.stringify(c)).toMatchObject({ ok: true }));
  });

  it("the xmlsec1 command line (harness verify_xmlsec.sh) verifies what we sign", () => {
    const dir = mkdtempSync(join(tmpdir(), "mpay-kit-xmlsec-"));
    for (const keyInfo of ["bst", "ski", "x509"] as const) {
      for (const algorithm of ALGORITHMS) {
        const file = join(dir, `${keyInfo}-${algorithm}.xml`);
        writeFileSync(file, signEnvelope(REQUEST, { identity: pki.provider, algorithm, keyInfo, inclusivePrefixes: keyInfo === "bst" }));
        const run = spawnSync("bash", [join(harnessDir, "verify_xmlsec.sh"), "--cert", pki.provider.certPath, "--ca", pki.caPath, "--check-time", file], { encoding: "utf8" });
        expect(`${run.status} ${run.stdout.trim().split("\n").at(-1)}`, `${keyInfo} ${algorithm}: ${run.stderr}`).toBe("0 OK");
      }
    }
  });

  it("the xmlsec1 command line refuses what was tampered after we signed it", () => {
    const dir = mkdtempSync(join(tmpdir(), "mpay-kit-xmlsec-"));
    const file = join(dir, "tampered.xml");
    writeFileSync(file, signEnvelope(REQUEST, { identity: pki.provider, algorithm: "rsa-sha1", keyInfo: "bst" }).replace("ORD-1001", "ORD-1002"));
    const run = spawnSync("bash", [join(harnessDir, "verify_xmlsec.sh"), "--cert", pki.provider.certPath, file], { encoding: "utf8" });
    expect(run.status).toBe(1);
  });

  it("we verify what libxmlsec1 signs: MPay's two published layouts, three KeyInfo forms, both algorithms", () => {
    const cases = (["mpay", "wss4j"] as const).flatMap((style) => (["bst", "ski", "x509"] as const).flatMap((key_info) => (["sha1", "sha256"] as const).map((alg) => ({ style, key_info, alg }))));
    const mpayRequest = `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header/><soapenv:Body>${PAYLOAD}</soapenv:Body></soapenv:Envelope>`;
    const results = peer(cases.map((c) => ({ op: "sign", envelope: mpayRequest, cert: pki.mpay.certPath, key: pki.mpay.keyPath, must_understand: true, ...c })));
    cases.forEach((c, i) => {
      const r = results[i]!;
      expect(r.ok, `${JSON.stringify(c)}: ${r.error}`).toBe(true);
      const verified = verify(r.message!);
      expect(verified.signer.fingerprint256).toBe(pki.mpay.certificate.fingerprint256);
      expect(verified.algorithm).toBe(c.alg === "sha1" ? "rsa-sha1" : "rsa-sha256");
    });
  });
});
