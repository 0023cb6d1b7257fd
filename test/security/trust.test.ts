/**
 * Certificate fields (SubjectKeyIdentifier, issuer and serial, distinguished names, KeyUsage,
 * BasicConstraints) checked against what openssl and xmlsec1 say about the same certificates,
 * and the trust decision over PKIs made by openssl: good chains, a rogue copying MPay's name,
 * dates, key usage, intermediates, path length, pins, lookups.
 */
import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  basicConstraints,
  distinguishedNameMatches,
  formatDistinguishedName,
  isCertificateAuthority,
  issuerSerial,
  keyUsage,
  keyUsageAllowsSigning,
  matchesIssuerSerial,
  parseDistinguishedName,
  subjectKeyIdentifier,
  subjectName,
} from "../../runtime/src/security/certificates.ts";
import { TrustStore } from "../../runtime/src/security/trust.ts";
import { harnessPki, OpenSslCa, openssl, opensslField, tempDir, CA_EXTENSIONS } from "./fixtures/openssl-pki.ts";

let dir: string;
let cleanup: () => void;
const cert = (path: string) => new X509Certificate(readFileSync(path));
/** The harness PKI (certs.sh). */
const h = (name: string) => cert(join(dir, "harness", `${name}.crt`));

let root2: OpenSslCa;
let intermediate: OpenSslCa;
let mailCa: OpenSslCa;
const made: Record<string, string> = {};

beforeAll(() => {
  ({ dir, cleanup } = tempDir("mpay-kit-trust-"));
  harnessPki(join(dir, "harness"));
  root2 = new OpenSslCa(dir, "root2", "/C=MD/O=Second Test PKI/CN=Second Root CA");
  intermediate = new OpenSslCa(dir, "intermediate", "/C=MD/O=Second Test PKI/CN=Second Issuing CA", {
    parent: root2,
    extensions: "basicConstraints = critical, CA:TRUE, pathlen:0\nkeyUsage = critical, keyCertSign, cRLSign\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid:always\n",
  });
  made.chained = intermediate.issue("chained", "/C=MD/O=Second Test PKI/CN=MPay Chained Signer").certPath;
  made.expired = root2.issue("expired", "/C=MD/O=Second Test PKI/CN=Expired Signer", { startDate: "20200101000000Z", endDate: "20210101000000Z" }).certPath;
  made.future = root2.issue("future", "/C=MD/O=Second Test PKI/CN=Future Signer", { startDate: "20700101000000Z", endDate: "20710101000000Z" }).certPath;
  made.encipherOnly = root2.issue("encipher", "/C=MD/O=Second Test PKI/CN=Encryption Only", {
    extensions: "basicConstraints = critical, CA:FALSE\nkeyUsage = critical, keyEncipherment\nsubjectKeyIdentifier = hash\n",
  }).certPath;
  made.noKeyUsage = root2.issue("nokeyusage", "/C=MD/O=Second Test PKI/CN=No Key Usage", { extensions: "subjectKeyIdentifier = hash\n" }).certPath;
  made.nonRepudiation = root2.issue("nonrep", "/C=MD/O=Second Test PKI/CN=Non Repudiation", {
    extensions: "keyUsage = critical, nonRepudiation\nsubjectKeyIdentifier = hash\n",
  }).certPath;
  made.criticalUnknown = root2.issue("critical", "/C=MD/O=Second Test PKI/CN=Odd Critical", {
    extensions: "keyUsage = critical, digitalSignature\n1.3.6.1.4.1.99999.1 = critical, ASN1:UTF8String:must understand\n",
  }).certPath;
  // A leaf "issued" by a certificate that is not a CA (root2's signer leaf signs with its key).
  const fakeCa = root2.issue("fakeca", "/C=MD/O=Second Test PKI/CN=Not A CA", { extensions: "basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature, keyCertSign\n" });
  made.fakeCa = fakeCa.certPath;
  made.underFakeCa = join(dir, "underfake.crt");
  openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", join(dir, "underfake.key"), "-subj", "/CN=Under Fake CA", "-out", join(dir, "underfake.csr")]);
  writeFileSync(join(dir, "leaf.ext"), "keyUsage = critical, digitalSignature\n");
  openssl(["x509", "-req", "-in", join(dir, "underfake.csr"), "-CA", fakeCa.certPath, "-CAkey", fakeCa.keyPath, "-set_serial", "7", "-days", "30", "-extfile", join(dir, "leaf.ext"), "-out", made.underFakeCa]);
  // An intermediate under a root with pathlen:0 cannot have an intermediate below it.
  const tight = new OpenSslCa(dir, "tight", "/CN=Tight Root", { extensions: "basicConstraints = critical, CA:TRUE, pathlen:0\nkeyUsage = critical, keyCertSign\nsubjectKeyIdentifier = hash\n" });
  const tooDeep = new OpenSslCa(dir, "toodeep", "/CN=Too Deep CA", { parent: tight, extensions: CA_EXTENSIONS });
  made.tightRoot = tight.certPath;
  made.tooDeepCa = tooDeep.certPath;
  made.tooDeep = tooDeep.issue("leaf", "/CN=Too Deep Signer").certPath;
  // Names with an e-mail address, several attributes in one RDN, characters that need escaping, non-ASCII.
  mailCa = new OpenSslCa(dir, "mail", "/C=MD/L=Chi\\, sin\\+au/O=S\\\"T\\\"ISC/OU=Test+OU=PKI/CN=Mail CA/emailAddress=ca@example.md");
  made.mailLeaf = mailCa.issue("leaf", "/CN=Signer").certPath;
  made.utf8Ca = new OpenSslCa(dir, "utf8", "/C=MD/O=Serviciul Tehnologia Informației/CN=Autoritate de certificare").certPath;
}, 120_000);
afterAll(() => cleanup?.());

describe("certificate fields", () => {
  it("reads the SubjectKeyIdentifier that certs.sh wrote for each certificate", () => {
    for (const name of ["ca", "mpay", "provider", "rogue"]) {
      const expected = readFileSync(join(dir, "harness", `${name}.ski`), "utf8").trim();
      expect(subjectKeyIdentifier(h(name))?.toString("base64")).toBe(expected);
    }
  });

  it("has no SubjectKeyIdentifier when the certificate has none", () => {
    // A version 1 certificate: no extensions at all.
    const v1 = join(dir, "v1.crt");
    openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", join(dir, "v1.key"), "-subj", "/CN=Plain", "-out", join(dir, "v1.csr")]);
    openssl(["x509", "-req", "-in", join(dir, "v1.csr"), "-signkey", join(dir, "v1.key"), "-days", "1", "-out", v1]);
    expect(openssl(["x509", "-in", v1, "-noout", "-text"])).not.toContain("Subject Key Identifier");
    expect(subjectKeyIdentifier(cert(v1))).toBeUndefined();
    expect(keyUsage(cert(v1))).toBeUndefined();
    expect(keyUsageAllowsSigning(cert(v1))).toBe(true);
    expect(basicConstraints(cert(v1))).toBeUndefined();
  });

  it("gives the issuer and serial as openssl prints them (RFC 2253 names, serial in decimal)", () => {
    const paths = [...["ca", "mpay", "provider", "rogue"].map((n) => join(dir, "harness", `${n}.crt`)), made.chained!, made.mailLeaf!, made.tooDeep!];
    for (const path of paths) {
      const { issuerName, serialNumber } = issuerSerial(cert(path));
      expect(issuerName).toBe(opensslField(path, "issuer"));
      expect(serialNumber).toBe(BigInt(`0x${opensslField(path, "serial")}`).toString(10));
    }
  });

  it("gives the issuer and serial as xmlsec1 writes them in ds:X509IssuerSerial", () => {
    const template = join(dir, "template.xml");
    writeFileSync(
      template,
      '<Doc xmlns="urn:x"><Data>signed</Data><Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo>' +
        '<CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><SignatureMethod Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1"/>' +
        '<Reference URI=""><Transforms><Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/></Transforms>' +
        '<DigestMethod Algorithm="http://www.w3.org/2000/09/xmldsig#sha1"/><DigestValue/></Reference></SignedInfo><SignatureValue/>' +
        "<KeyInfo><X509Data><X509IssuerSerial/></X509Data></KeyInfo></Signature></Doc>",
    );
    for (const [certPath, keyPath] of [
      [join(dir, "harness/mpay.crt"), join(dir, "harness/mpay.key")],
      [made.mailLeaf!, join(mailCa.dir, "leaf.key")],
    ] as const) {
      const signed = execFileSync("xmlsec1", ["--sign", "--privkey-pem", `${keyPath},${certPath}`, template], { encoding: "utf8" });
      const written = {
        issuerName: /<X509IssuerName>([^<]*)<\/X509IssuerName>/.exec(signed)![1]!.replace(/&quot;/g, '"'),
        serialNumber: /<X509SerialNumber>([^<]*)<\/X509SerialNumber>/.exec(signed)![1]!,
      };
      expect(issuerSerial(cert(certPath))).toEqual(written);
      expect(matchesIssuerSerial(cert(certPath), written.issuerName, written.serialNumber)).toBe(true);
    }
  });

  it("matches an IssuerSerial by structure: separators, spacing, case, type aliases, OIDs, #hex values", () => {
    const mpay = h("mpay");
    const serial = issuerSerial(mpay).serialNumber;
    const same = [
      "CN=MPay Harness Test Root CA,O=MPay Harness,C=MD",
      "CN=MPay Harness Test Root CA, O=MPay Harness, C=MD",
      "  cn = mpay harness test root ca ;  o=MPAY   HARNESS ; c=md ",
      "CN=MPay\\20Harness Test Root CA,O=MPay Harness,C=MD",
      'CN="MPay Harness Test Root CA",O=MPay Harness,C=MD',
      "2.5.4.3=MPay Harness Test Root CA,OID.2.5.4.10=MPay Harness,C=#13024d44",
      "commonName=MPay Harness Test Root CA,organizationName=MPay Harness,countryName=MD",
    ];
    for (const name of same) expect(matchesIssuerSerial(mpay, name, serial), name).toBe(true);
    expect(matchesIssuerSerial(mpay, same[0]!, ` ${serial}\n`)).toBe(true);
    const different = [
      "C=MD,O=MPay Harness,CN=MPay Harness Test Root CA", // X.500 order written the wrong way round
      "CN=MPay Harness Test Root CA,O=MPay Harness", // an RDN missing
      "CN=MPay Harness Test Root CA,O=MPay Harness,C=MD,DC=extra",
      "CN=MPay Harness Test Root CA+O=MPay Harness,C=MD", // two RDNs merged into one
      "CN=MPay Harness Test Root,O=MPay Harness,C=MD",
      "OU=MPay Harness Test Root CA,O=MPay Harness,C=MD",
      "CN=MPay Harness Test Root CA,O=MPay Harness,C=MD,",
      "CN=MPay Harness Test Root CA,O=MPay Harness,XX=MD",
      "",
    ];
    for (const name of different) expect(matchesIssuerSerial(mpay, name, serial), name).toBe(false);
    for (const bad of [`${serial}0`, "0x1", "", "12a", (BigInt(serial) + 1n).toString()]) expect(matchesIssuerSerial(mpay, same[0]!, bad), bad).toBe(false);
  });

  it("matches e-mail addresses under each name, multi-valued RDNs in any order, escaped characters", () => {
    const leaf = cert(made.mailLeaf!);
    const { issuerName, serialNumber } = issuerSerial(leaf);
    expect(issuerName).toBe('emailAddress=ca@example.md,CN=Mail CA,OU=Test+OU=PKI,O=S\\"T\\"ISC,L=Chi\\, sin\\+au,C=MD');
    for (const name of [
      issuerName,
      'E=ca@example.md, CN=Mail CA, OU=PKI+OU=Test, O=S\\"T\\"ISC, L="Chi, sin+au", C=MD',
      'EMAIL=CA@EXAMPLE.MD,CN=Mail CA,OU=Test + OU=PKI,O=S\\22T\\22ISC,L=Chi\\2C sin\\2Bau,C=MD',
      '1.2.840.113549.1.9.1=ca@example.md,CN=Mail CA,OU=Test+OU=PKI,O=S\\"T\\"ISC,L=Chi\\, sin\\+au,C=MD',
    ]) {
      expect(matchesIssuerSerial(leaf, name, serialNumber), name).toBe(true);
    }
    expect(matchesIssuerSerial(leaf, "E=ca@example.md,CN=Mail CA,OU=Test,O=S\"T\"ISC,L=Chi\\, sin\\+au,C=MD", serialNumber)).toBe(false);
  });

  it("compares non-ASCII names after Unicode normalization, as openssl writes them", () => {
    const utf8 = cert(made.utf8Ca!);
    const written = formatDistinguishedName(subjectName(utf8));
    expect(written).toBe("CN=Autoritate de certificare,O=Serviciul Tehnologia Informației,C=MD");
    expect(opensslField(made.utf8Ca!, "subject", "RFC2253,-esc_msb")).toBe(written);
    // U+0163 (ţ, cedilla) is another letter than U+021B (ț, comma): no match; decomposed ț does match.
    expect(distinguishedNameMatches(subjectName(utf8), written.replace("ț", "ţ"))).toBe(false);
    expect(distinguishedNameMatches(subjectName(utf8), written.replace("ț", "t\u0326").toUpperCase())).toBe(true);
    expect(distinguishedNameMatches(subjectName(utf8), "CN=Autoritate de certificare,O=Serviciul Tehnologia Informa\\C8\\9Biei,C=MD")).toBe(true);
  });

  it("refuses malformed names instead of guessing", () => {
    for (const text of ["CN", "=x", "CN=a,,O=b", "CN=a\\", 'CN="open', "CN=#12", "NOSUCHTYPE=x", "CN=a;"]) {
      expect(parseDistinguishedName(text), text).toBeUndefined();
    }
  });

  it("reads KeyUsage and BasicConstraints as openssl made them", () => {
    expect([...keyUsage(h("mpay"))!]).toEqual(["digitalSignature", "nonRepudiation", "keyEncipherment"]);
    expect([...keyUsage(h("ca"))!]).toEqual(["keyCertSign", "cRLSign"]);
    expect(keyUsageAllowsSigning(h("mpay"))).toBe(true);
    expect(keyUsageAllowsSigning(h("ca"))).toBe(false);
    expect(keyUsageAllowsSigning(cert(made.encipherOnly!))).toBe(false);
    expect(keyUsageAllowsSigning(cert(made.nonRepudiation!))).toBe(true);
    expect(keyUsageAllowsSigning(cert(made.noKeyUsage!))).toBe(true);
    expect(basicConstraints(h("ca"))).toEqual({ ca: true, pathLength: undefined });
    expect(basicConstraints(cert(intermediate.certPath))).toEqual({ ca: true, pathLength: 0 });
    expect(basicConstraints(h("mpay"))).toEqual({ ca: false, pathLength: undefined });
    expect(isCertificateAuthority(h("ca"))).toBe(true);
    expect(isCertificateAuthority(h("mpay"))).toBe(false);
    expect(isCertificateAuthority(cert(made.noKeyUsage!))).toBe(false);
  });
});

describe("TrustStore.check", () => {
  const now = () => new Date();
  const harnessTrust = () => new TrustStore({ anchors: [h("ca")], peers: [h("mpay"), h("provider")] });
  const refusal = (store: TrustStore, leaf: X509Certificate, options: { at?: Date; presentedChain?: X509Certificate[] } = {}) => {
    const result = store.check(leaf, { at: options.at ?? now(), ...(options.presentedChain === undefined ? {} : { presentedChain: options.presentedChain }) });
    if (result.ok) throw new Error(`accepted ${leaf.subject}`);
    return result.reason;
  };

  it("accepts a certificate issued by an anchor, with the path", () => {
    const result = harnessTrust().check(h("mpay"), { at: now() });
    expect(result.ok).toBe(true);
    expect(result.ok && result.chain.map((c) => c.fingerprint256)).toEqual([h("mpay").fingerprint256, h("ca").fingerprint256]);
  });

  it("refuses the rogue: same subject as MPay, self-signed, not an anchor", () => {
    expect(refusal(harnessTrust(), h("rogue"))).toBe("signer certificate CN=MPay Test Client,O=MPay Harness,C=MD is self-signed and is not a trusted certificate");
    // Trusted only when it is itself an anchor (same DER), not because an anchor has its name.
    expect(new TrustStore({ anchors: [h("rogue")] }).check(h("rogue"), { at: now() }).ok).toBe(true);
    expect(refusal(new TrustStore({ anchors: [h("mpay")] }), h("rogue"))).toContain("is self-signed and is not a trusted certificate");
  });

  it("refuses a certificate of another PKI", () => {
    expect(refusal(harnessTrust(), cert(made.expired!), { at: new Date("2020-06-01T00:00:00Z") })).toBe(
      "signer certificate CN=Expired Signer,O=Second Test PKI,C=MD is not issued by a trusted authority",
    );
  });

  it("refuses expired and not yet valid certificates, and checks at the given time", () => {
    const store = new TrustStore({ anchors: [cert(root2.certPath)] });
    expect(refusal(store, cert(made.expired!))).toBe("signer certificate CN=Expired Signer,O=Second Test PKI,C=MD expired on 2021-01-01T00:00:00Z");
    expect(refusal(store, cert(made.future!))).toBe("signer certificate CN=Future Signer,O=Second Test PKI,C=MD is not valid before 2070-01-01T00:00:00Z");
    expect(store.check(cert(made.expired!), { at: new Date("2020-06-01T00:00:00Z") }).ok).toBe(false); // root2 itself was not valid then
    expect(store.check(cert(made.future!), { at: new Date("2070-06-01T00:00:00Z") }).ok).toBe(false); // nor then
    expect(refusal(store, cert(made.future!), { at: new Date("2070-06-01T00:00:00Z") })).toMatch(/^issuer certificate CN=Second Root CA,O=Second Test PKI,C=MD expired on /);
    expect(refusal(harnessTrust(), h("mpay"), { at: new Date("2000-01-01T00:00:00Z") })).toMatch(/is not valid before/);
    expect(refusal(harnessTrust(), h("mpay"), { at: new Date(Number.NaN) })).toBe("no valid time to check the signer certificate at");
  });

  it("refuses a key that may not sign, and a certificate with a critical extension it does not understand", () => {
    const store = new TrustStore({ anchors: [cert(root2.certPath)] });
    expect(refusal(store, cert(made.encipherOnly!))).toBe("signer certificate CN=Encryption Only,O=Second Test PKI,C=MD does not allow digital signatures (KeyUsage)");
    expect(store.check(cert(made.nonRepudiation!), { at: now() }).ok).toBe(true);
    expect(store.check(cert(made.noKeyUsage!), { at: now() }).ok).toBe(true);
    expect(refusal(store, cert(made.criticalUnknown!))).toBe("signer certificate CN=Odd Critical,O=Second Test PKI,C=MD has an unsupported critical extension (1.3.6.1.4.1.99999.1)");
    // The CA certificate itself as a signer: trusted directly but its key may only sign certificates.
    expect(refusal(store, cert(root2.certPath))).toContain("does not allow digital signatures (KeyUsage)");
  });

  it("refuses a certificate issued by a certificate that is not a CA", () => {
    const store = new TrustStore({ anchors: [cert(root2.certPath)], intermediates: [cert(made.fakeCa!)] });
    expect(refusal(store, cert(made.underFakeCa!))).toBe("issuer certificate CN=Not A CA,O=Second Test PKI,C=MD is not a certificate authority (BasicConstraints)");
  });

  it("builds paths through intermediates, configured or presented, never trusting an intermediate by itself", () => {
    const chained = cert(made.chained!);
    const inter = cert(intermediate.certPath);
    const root = cert(root2.certPath);
    const withIntermediate = new TrustStore({ anchors: [root], intermediates: [inter] });
    const result = withIntermediate.check(chained, { at: now() });
    expect(result.ok && result.chain.map((c) => c.fingerprint256)).toEqual([chained.fingerprint256, inter.fingerprint256, root.fingerprint256]);
    const rootOnly = new TrustStore({ anchors: [root] });
    expect(refusal(rootOnly, chained)).toBe(
      "signer certificate CN=MPay Chained Signer,O=Second Test PKI,C=MD is not issued by a trusted authority",
    );
    expect(rootOnly.check(chained, { at: now(), presentedChain: [h("ca"), inter] }).ok).toBe(true);
    // An intermediate without its root is not an anchor.
    expect(refusal(new TrustStore({ anchors: [h("ca")], intermediates: [inter] }), chained)).toBe(
      "signer certificate CN=MPay Chained Signer,O=Second Test PKI,C=MD is not issued by a trusted authority (no trusted issuer for CN=Second Issuing CA,O=Second Test PKI,C=MD)",
    );
    // An intermediate trusted as an anchor ends the path there.
    expect(new TrustStore({ anchors: [inter] }).check(chained, { at: now() }).ok).toBe(true);
  });

  it("refuses a path longer than an issuer's path length allows", () => {
    const store = new TrustStore({ anchors: [cert(made.tightRoot!)], intermediates: [cert(made.tooDeepCa!)] });
    expect(refusal(store, cert(made.tooDeep!))).toBe("issuer certificate CN=Tight Root allows 0 intermediate certificates below it, the path has 1");
    expect(execFileSync("sh", ["-c", `openssl verify -CAfile ${made.tightRoot} -untrusted ${made.tooDeepCa} ${made.tooDeep} 2>&1 || true`], { encoding: "utf8" })).toMatch(/path length/i);
  });

  it("refuses a certificate whose signature does not verify with its issuer's key", () => {
    // Same name as the harness CA, another key: the name matches, the signature does not.
    const impostor = new OpenSslCa(dir, "impostor", "/C=MD/O=MPay Harness/CN=MPay Harness Test Root CA");
    const store = new TrustStore({ anchors: [cert(impostor.certPath)] });
    expect(refusal(store, h("mpay"))).toBe(
      "signer certificate CN=MPay Test Client,O=MPay Harness,C=MD is not issued by a trusted authority (the signature of CN=MPay Test Client,O=MPay Harness,C=MD does not verify with the key of CN=MPay Harness Test Root CA,O=MPay Harness,C=MD)",
    );
    // With both the impostor and the real CA as anchors, the real one is found.
    expect(new TrustStore({ anchors: [cert(impostor.certPath), h("ca")] }).check(h("mpay"), { at: now() }).ok).toBe(true);
  });

  it("with pins, accepts only the pinned certificate: by fingerprint, by subject, or the certificate itself", () => {
    const mpay = h("mpay");
    const byFingerprint = new TrustStore({ anchors: [h("ca")], pins: [{ fingerprint256: mpay.fingerprint256.toLowerCase().replace(/:/g, "") }] });
    expect(byFingerprint.check(mpay, { at: now() }).ok).toBe(true);
    expect(refusal(byFingerprint, h("provider"))).toBe(
      `signer certificate CN=Test Service Provider,O=MPay Harness,C=MD is not the pinned certificate (SHA-256 ${h("provider").fingerprint256.replace(/:/g, "")})`,
    );
    const opensslFingerprint = openssl(["x509", "-in", join(dir, "harness/mpay.crt"), "-noout", "-fingerprint", "-sha256"]).trim().split("=")[1]!;
    expect(new TrustStore({ anchors: [h("ca")], pins: [{ fingerprint256: opensslFingerprint }] }).check(mpay, { at: now() }).ok).toBe(true);

    const bySubject = new TrustStore({ anchors: [h("ca")], pins: [{ subject: "CN=MPay Test Client, O=MPay Harness, C=MD" }] });
    expect(bySubject.check(mpay, { at: now() }).ok).toBe(true);
    expect(refusal(bySubject, h("provider"))).toMatch(/^signer certificate CN=Test Service Provider,O=MPay Harness,C=MD is not the pinned certificate/);
    // The rogue has the pinned subject, but no path to the CA.
    expect(refusal(bySubject, h("rogue"))).toContain("is self-signed and is not a trusted certificate");

    const byCertificate = new TrustStore({ anchors: [h("ca")], pins: [h("provider"), mpay] });
    expect(byCertificate.check(mpay, { at: now() }).ok).toBe(true);
    expect(refusal(new TrustStore({ anchors: [h("ca")], pins: [h("provider"), { subject: "CN=Someone Else" }] }), mpay)).toMatch(/is not one of the pinned certificates/);
    // Both fields given: both must match.
    expect(refusal(new TrustStore({ anchors: [h("ca")], pins: [{ fingerprint256: mpay.fingerprint256, subject: "CN=Someone Else" }] }), mpay)).toMatch(/pinned/);
  });

  it("refuses pins it cannot read and a store without anchors", () => {
    expect(() => new TrustStore({ anchors: [h("ca")], pins: [{ fingerprint256: "AB:CD" }] })).toThrow(/not a SHA-256 fingerprint/);
    expect(() => new TrustStore({ anchors: [h("ca")], pins: [{ subject: "MPay Test Client" }] })).toThrow(/not a distinguished name/);
    expect(() => new TrustStore({ anchors: [h("ca")], pins: [{}] })).toThrow(/needs fingerprint256 or subject/);
    expect(() => new TrustStore({ anchors: [] })).toThrow(/at least one trust anchor/);
  });
});

describe("TrustStore lookups", () => {
  it("finds peers, intermediates and anchors by SubjectKeyIdentifier", () => {
    const store = new TrustStore({ anchors: [h("ca")], intermediates: [cert(intermediate.certPath)], peers: [h("mpay"), h("provider")] });
    for (const [name, expected] of [
      ["mpay", h("mpay")],
      ["provider", h("provider")],
      ["ca", h("ca")],
    ] as const) {
      const ski = Buffer.from(readFileSync(join(dir, "harness", `${name}.ski`), "utf8").trim(), "base64");
      expect(store.findBySubjectKeyIdentifier(ski)?.fingerprint256).toBe(expected.fingerprint256);
    }
    expect(store.findBySubjectKeyIdentifier(subjectKeyIdentifier(cert(intermediate.certPath))!)?.subject).toContain("Second Issuing CA");
    expect(store.findBySubjectKeyIdentifier(Buffer.from(readFileSync(join(dir, "harness/rogue.ski"), "utf8").trim(), "base64"))).toBeUndefined();
    expect(store.findBySubjectKeyIdentifier(new Uint8Array(20))).toBeUndefined();
  });

  it("finds a certificate by issuer and serial, whatever the spelling of the issuer", () => {
    const store = new TrustStore({ anchors: [h("ca")], peers: [h("mpay"), h("provider"), h("rogue")] });
    const mpay = issuerSerial(h("mpay"));
    expect(store.findByIssuerSerial(mpay.issuerName, mpay.serialNumber)?.fingerprint256).toBe(h("mpay").fingerprint256);
    expect(store.findByIssuerSerial("CN=MPay Harness Test Root CA, O=MPay Harness, C=MD", mpay.serialNumber)?.fingerprint256).toBe(h("mpay").fingerprint256);
    const rogue = issuerSerial(h("rogue"));
    expect(store.findByIssuerSerial(rogue.issuerName, rogue.serialNumber)?.fingerprint256).toBe(h("rogue").fingerprint256);
    // The rogue's serial under the CA's name, and mpay's serial under the rogue's (= mpay's subject) name: nothing.
    expect(store.findByIssuerSerial(mpay.issuerName, rogue.serialNumber)).toBeUndefined();
    expect(store.findByIssuerSerial(rogue.issuerName, mpay.serialNumber)).toBeUndefined();
  });
});
