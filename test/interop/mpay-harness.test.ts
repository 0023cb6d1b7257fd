/**
 * The independent MPay interop harness (../shared/harness: zeep + python3-xmlsec, xmlsec1) plays
 * MPay against the example provider with WS-Security on: signed GetOrderDetails and
 * ConfirmOrderPayment requests in MPay's two published layouts, three KeyInfo forms and both
 * algorithms; every response must come back signed and verify (strictly in the harness, and again
 * with xmlsec1 through verify_xmlsec.sh), for each response KeyInfo form MPay accepts.
 *
 * The WSDL given to the client is our own wsdl/mpay/ServiceProvider.wsdl (the contract the
 * provider implements), with --no-schema-check: the harness's schema loader only indexes the
 * target namespaces of schemas inline in the WSDL, and ours imports the https://mpay.gov.md schema
 * from a relative file, so its check would say "no schema for namespace". zeep still reads every
 * response with that WSDL (exit 7 otherwise), and a separate case validates the saved payloads
 * against our XSD with libxml2. The harness's selftest WSDL is no substitute: it follows the
 * guide's table (AllowPartialPayment) where the 2014 WSDL we implement says AllowPartialPayments,
 * so libxml2 refuses ORD-1002 against it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseXml } from "../../runtime/src/xml/parse.ts";
import { attributeValue, childrenNamed, elementChildren } from "../../runtime/src/security/tree.ts";
import { repoRoot, startProvider, type RunningProvider } from "../helpers/provider.ts";
import { testPki, type TestParty, type TestPki } from "../helpers/pki.ts";
import { missingHarnessPeers, mpayClient, PYTHON, runProcess, verifyXmlsec, type MpayClientRun } from "../helpers/mpay-harness.ts";
import { readAnswer } from "../helpers/soap-post.ts";
import { DS_NS, EXC_C14N, SOAP_NS, WSSE_NS, WSU_NS } from "../helpers/wssec-forge.ts";

const MPAY_NS = "https://mpay.gov.md";
const WSDL = resolve(repoRoot, "wsdl/mpay/ServiceProvider.wsdl");
const XSD = resolve(repoRoot, "wsdl/mpay/ServiceProvider.xsd");

const missing = await missingHarnessPeers();
// In CI the peers must be there: the suite then fails (beforeAll throws) instead of skipping.
const skip = missing.length > 0 && process.env.CI !== "true";
if (skip) console.warn(`MPay harness interop skipped: missing ${missing.join("; ")}`);

type ResponseForm = "x509" | "bst" | "ski";
const RESPONSE_FORMS: readonly ResponseForm[] = ["x509", "bst", "ski"];
const STYLES = ["mpay", "wss4j"] as const;
const REQUEST_KEY_INFO = ["bst", "ski", "x509"] as const;
const ALGS = ["sha1", "sha256"] as const;
const VARIANTS = STYLES.flatMap((style) => REQUEST_KEY_INFO.flatMap((keyInfo) => ALGS.map((alg) => ({ style, keyInfo, alg }))));

/** Pays ORD-1001 exactly (100.00 + 50.00), shaped like the harness's selftest/payment.json. */
const PAY_ORD_1001 = {
  Currency: "MDL",
  InvoiceID: "00069002233014",
  Lines: [
    {
      Amount: "100.00",
      DestinationAccount: { BankAccount: "MD77TRGAAA14153401000000", BankCode: "TREZMD2X", BankFiscalCode: "1006601000255", BeneficiaryName: "Agenția Demo" },
      LineID: "L1",
      Properties: [{ Name: "HO:Contract", Value: "C-42" }],
    },
    { Amount: "50.00", LineID: "L2" },
  ],
  OrderKey: "ORD-1001",
  PaidAt: "2025-07-10T10:51:23",
  PaymentID: "harness-ord-1001",
  Properties: [{ Name: "Bank", Value: "MAIB (Card)" }],
  ServiceID: "DEMO01",
  TotalAmount: "150.00",
};

/** Pays 1000.00 of ORD-1002's 9267.00 (partial payments allowed): applied twice, it would show. */
const PAY_PART_OF_ORD_1002 = {
  Currency: "MDL",
  Lines: [{ Amount: "1000.00", LineID: "Base:1|Nb-1" }],
  OrderKey: "ORD-1002",
  PaidAt: "2025-07-11T09:00:00",
  PaymentID: "harness-ord-1002-partial",
  ServiceID: "DEMO01",
  TotalAmount: "1000.00",
};

interface OrderSeen {
  readonly OrderKey: string;
  readonly Status: string;
  readonly TotalAmountDue: string | null;
  readonly Lines: { readonly OrderLine: readonly { readonly LineID: string; readonly AmountDue: string | null }[] };
}

// Each case runs one or two Python processes; on a loaded machine that can take a while.
describe.skipIf(skip)("the harness's MPay client against the example provider with WS-Security on", { timeout: 90_000 }, () => {
  let pki: TestPki;
  let work: string;
  let payOrd1001: string;
  let payPartOrd1002: string;
  const byForm = new Map<ResponseForm, RunningProvider>();
  /** Pinned to mpay.crt, x509 answers: for the sequential cases (its ORD-1002 changes). */
  let pinned: RunningProvider;
  /** Trusts the CA, no pin. */
  let unpinned: RunningProvider;
  let issuerSerial: RunningProvider;
  let saved = 0;

  beforeAll(async () => {
    if (missing.length > 0) throw new Error(`the independent peers are missing, and CI requires them: ${missing.join("; ")}`);
    pki = testPki();
    work = mkdtempSync(join(tmpdir(), "mpay-kit-harness-"));
    payOrd1001 = join(work, "pay-ord-1001.json");
    writeFileSync(payOrd1001, JSON.stringify(PAY_ORD_1001));
    payPartOrd1002 = join(work, "pay-part-ord-1002.json");
    writeFileSync(payPartOrd1002, JSON.stringify(PAY_PART_OF_ORD_1002));
    const security = ["--cert", pki.provider.certPath, "--key", pki.provider.keyPath, "--trust", pki.caPath];
    // --pin also tells the provider MPay's certificate, which a request naming its key by SKI needs.
    const pin = ["--pin", pki.mpay.certPath];
    const started = await Promise.all([
      ...RESPONSE_FORMS.map((form) => startProvider([...security, ...pin, "--key-info", form])),
      startProvider([...security, ...pin]),
      startProvider(security),
      startProvider([...security, ...pin, "--key-info", "issuer-serial"]),
    ]);
    RESPONSE_FORMS.forEach((form, i) => byForm.set(form, started[i]!));
    pinned = started[3]!;
    unpinned = started[4]!;
    issuerSerial = started[5]!;
  });

  afterAll(async () => {
    await Promise.all([...byForm.values(), pinned, unpinned, issuerSerial].map((p) => p?.stop()));
  });

  /** Runs the client as `signer` against `provider`; the request and response are saved under `work`. */
  async function call(
    provider: RunningProvider,
    operation: "GetOrderDetails" | "ConfirmOrderPayment",
    options: { readonly signer?: TestParty; readonly extra?: readonly string[]; readonly orderKey?: string; readonly serviceId?: string; readonly json?: string } = {},
  ): Promise<MpayClientRun & { readonly requestPath: string; readonly responsePath: string }> {
    const n = ++saved;
    const requestPath = join(work, `${n}-${operation}.req.xml`);
    const responsePath = join(work, `${n}-${operation}.resp.xml`);
    const signer = options.signer ?? pki.mpay;
    const input =
      operation === "GetOrderDetails"
        ? ["--service-id", options.serviceId ?? "DEMO01", "--order-key", options.orderKey ?? "ORD-1002", "--language", "ro"]
        : ["--json", options.json ?? payOrd1001];
    const run = await mpayClient(operation, [
      "--url", provider.url, "--wsdl", WSDL, "--no-schema-check",
      "--cert", signer.certPath, "--key", signer.keyPath,
      "--peer-cert", pki.provider.certPath, "--peer-ca", pki.caPath,
      "--save-request", requestPath, "--save-response", responsePath, "--compact",
      ...input, ...(options.extra ?? []),
    ]);
    return { ...run, requestPath, responsePath };
  }

  const explain = (run: MpayClientRun) => `exit ${run.exitCode}: ${run.output?.error ?? run.stderr.slice(0, 2000)}`;

  /** xmlsec1 (through verify_xmlsec.sh) verifies a saved response as signed by provider.crt chaining to the CA. */
  async function expectXmlsecOk(responsePath: string): Promise<void> {
    const check = await verifyXmlsec(["--cert", pki.provider.certPath, "--ca", pki.caPath, "--check-time", responsePath]);
    expect(`${check.status} ${check.verdict}`, check.output).toBe("0 OK");
  }

  /** The fault of a saved response, its code resolved to a namespace. */
  function savedFault(responsePath: string) {
    return readAnswer(500, readFileSync(responsePath, "utf8")).fault;
  }

  /** A refusal of an unverified request: AuthenticationFailed, and (no private-key work for strangers) unsigned. */
  function expectAuthenticationFailed(run: MpayClientRun & { readonly responsePath: string }): void {
    expect(run.exitCode, explain(run)).toBe(4);
    expect(run.output!.http_status).toBe(500);
    expect(savedFault(run.responsePath)).toMatchObject({ namespace: MPAY_NS, code: "AuthenticationFailed" });
    expect(run.output!.fault!.signature).toBe("unsigned");
  }

  describe.concurrent("every request layout MPay publishes, answered in every KeyInfo form MPay accepts", () => {
    RESPONSE_FORMS.forEach((form, formIndex) => {
      VARIANTS.forEach((variant, variantIndex) => {
        // Operations alternate so that, over the three forms, every variant meets both.
        const operation = (variantIndex + formIndex) % 2 === 0 ? "GetOrderDetails" : "ConfirmOrderPayment";
        it(`response ${form}: ${operation}, --style ${variant.style} --key-info ${variant.keyInfo} --alg ${variant.alg}`, async ({ expect }) => {
          const run = await call(byForm.get(form)!, operation, { extra: ["--style", variant.style, "--key-info", variant.keyInfo, "--alg", variant.alg] });
          expect(run.exitCode, explain(run)).toBe(0);
          const output = run.output!;
          expect(output.request).toMatchObject({ signer: "mpay", key_info: variant.keyInfo, style: variant.style, alg: variant.alg });
          expect(output.response_security).toMatchObject({ signed: true, verified: true, key_info: form });
          expect(output.response_security!.references!.map((r) => [r.target, r.digest_ok]).sort()).toEqual([["soap:Body", true], ["wsu:Timestamp", true]]);
          expect(output.response_security!.signer!.subject).toBe("CN=Test Service Provider,O=MPay Harness,C=MD");
          if (operation === "GetOrderDetails") {
            const [order] = output.result as OrderSeen[];
            expect(order).toMatchObject({ OrderKey: "ORD-1002", Status: "Active", TotalAmountDue: "9267.00" });
            expect(order!.Lines.OrderLine.map((l) => [l.LineID, l.AmountDue])).toEqual([["Base:1|Nb-1", "9267.00"]]);
          } else {
            // ConfirmOrderPayment answers an empty element: zeep gives None.
            expect(output.result ?? null).toBeNull();
          }
          // xmlsec1 costs about a second of CPU per message: it checks one answer per form and
          // operation (the harness's libxmlsec1 check above covered every one).
          if (variantIndex < 2) {
            const check = await verifyXmlsec(["--cert", pki.provider.certPath, "--ca", pki.caPath, "--check-time", run.responsePath]);
            expect(`${check.status} ${check.verdict}`, check.output).toBe("0 OK");
          }
        });
      });
    });
  });

  describe("after the matrix", () => {
    it("each provider applied the ORD-1001 payment once and answered every repeat with success: ORD-1001 is Paid", async () => {
      for (const form of RESPONSE_FORMS) {
        const run = await call(byForm.get(form)!, "GetOrderDetails", { orderKey: "ORD-1001" });
        expect(run.exitCode, explain(run)).toBe(0);
        const [order] = run.output!.result as OrderSeen[];
        expect(order).toMatchObject({ OrderKey: "ORD-1001", Status: "Paid", TotalAmountDue: "0.00" });
        expect(order!.Lines.OrderLine.map((l) => [l.LineID, l.AmountDue])).toEqual([["L1", "0.00"], ["L2", "0.00"]]);
      }
    });

    it("the saved response payloads are valid against our XSD (libxml2), which --no-schema-check left out", async () => {
      const getOrder = await call(byForm.get("x509")!, "GetOrderDetails", { orderKey: "ORD-1002" });
      const paid = await call(byForm.get("bst")!, "GetOrderDetails", { orderKey: "ORD-1001" });
      const confirm = await call(byForm.get("ski")!, "ConfirmOrderPayment");
      for (const run of [getOrder, paid, confirm]) expect(run.exitCode, explain(run)).toBe(0);
      const script = [
        "import sys",
        "from lxml import etree",
        "schema = etree.XMLSchema(etree.parse(sys.argv[1]))",
        "bad = []",
        "for path in sys.argv[2:]:",
        "    body = etree.parse(path).getroot().find('{http://schemas.xmlsoap.org/soap/envelope/}Body')",
        "    payload = etree.fromstring(etree.tostring([c for c in body if isinstance(c.tag, str)][0]))",
        "    if not schema.validate(payload): bad.append('%s: %s' % (path, schema.error_log))",
        "print('\\n'.join(bad) or 'valid')",
        "sys.exit(1 if bad else 0)",
      ].join("\n");
      const validation = await runProcess(PYTHON, ["-c", script, XSD, getOrder.responsePath, paid.responsePath, confirm.responsePath]);
      expect(`${validation.status} ${validation.stdout.trim()}`, validation.stderr).toBe("0 valid");
    });
  });

  describe("MPay's 2025 GetOrderDetails layout with a 60 s Timestamp", () => {
    it("is accepted, and the request really is that layout", async () => {
      const run = await call(pinned, "GetOrderDetails", { extra: ["--style", "wss4j", "--key-info", "bst", "--alg", "sha1", "--ttl", "60"] });
      expect(run.exitCode, explain(run)).toBe(0);
      await expectXmlsecOk(run.responsePath);

      // What was sent, read namespace by namespace.
      const envelope = parseXml(readFileSync(run.requestPath, "utf8")).root;
      const header = childrenNamed(envelope, SOAP_NS, "Header")[0]!;
      const security = childrenNamed(header, WSSE_NS, "Security")[0]!;
      expect(attributeValue(security, SOAP_NS, "mustUnderstand")).toBe("1");
      expect(elementChildren(security).map((e) => e.local)).toEqual(["BinarySecurityToken", "Signature", "Timestamp"]);
      const signature = childrenNamed(security, DS_NS, "Signature")[0]!;
      const signedInfo = childrenNamed(signature, DS_NS, "SignedInfo")[0]!;
      const prefixListOf = (method: (typeof signedInfo)) => childrenNamed(method, EXC_C14N, "InclusiveNamespaces").map((i) => attributeValue(i, "", "PrefixList"));
      expect(prefixListOf(childrenNamed(signedInfo, DS_NS, "CanonicalizationMethod")[0]!)).toHaveLength(1);
      const references = childrenNamed(signedInfo, DS_NS, "Reference");
      expect(references).toHaveLength(2);
      for (const reference of references) {
        const transform = childrenNamed(childrenNamed(reference, DS_NS, "Transforms")[0]!, DS_NS, "Transform")[0]!;
        expect(prefixListOf(transform)).toHaveLength(1);
      }
      const keyInfo = childrenNamed(signature, DS_NS, "KeyInfo")[0]!;
      const strReference = childrenNamed(childrenNamed(keyInfo, WSSE_NS, "SecurityTokenReference")[0]!, WSSE_NS, "Reference")[0]!;
      const token = childrenNamed(security, WSSE_NS, "BinarySecurityToken")[0]!;
      expect(attributeValue(strReference, "", "URI")).toBe(`#${attributeValue(token, WSU_NS, "Id")}`);
      const timestamp = childrenNamed(security, WSU_NS, "Timestamp")[0]!;
      const instant = (local: string) => Date.parse(childrenNamed(timestamp, WSU_NS, local)[0]!.children.map((c) => (c.kind === "text" ? c.value : "")).join(""));
      expect(instant("Expires") - instant("Created")).toBe(60_000);
    });
  });

  describe("refusals and repeats (provider pinned to mpay.crt)", () => {
    it("a ConfirmOrderPayment repeated with the same PaymentID succeeds twice and is applied once", async () => {
      for (const style of STYLES) {
        const run = await call(pinned, "ConfirmOrderPayment", { json: payPartOrd1002, extra: ["--style", style] });
        expect(run.exitCode, explain(run)).toBe(0);
        await expectXmlsecOk(run.responsePath);
      }
      const after = await call(pinned, "GetOrderDetails", { orderKey: "ORD-1002" });
      expect(after.exitCode, explain(after)).toBe(0);
      expect((after.output!.result as OrderSeen[])[0]).toMatchObject({ Status: "PartiallyPaid", TotalAmountDue: "8267.00" });
    });

    it("--unsigned: exit 4, AuthenticationFailed (an unsigned fault)", async () => {
      expectAuthenticationFailed(await call(pinned, "GetOrderDetails", { extra: ["--unsigned"] }));
    });

    it("signed with the rogue certificate and key (self-signed, MPay's DN): exit 4, AuthenticationFailed", async () => {
      expectAuthenticationFailed(await call(pinned, "ConfirmOrderPayment", { signer: pki.rogue }));
    });

    it("signed with provider.crt (issued by the trusted CA, but not the pinned MPay certificate): exit 4, AuthenticationFailed", async () => {
      expectAuthenticationFailed(await call(pinned, "GetOrderDetails", { signer: pki.provider }));
    });

    it("an unknown ServiceID: exit 4, UnknownService, and this fault (to a verified request) is signed", async () => {
      const run = await call(pinned, "GetOrderDetails", { serviceId: "NOPE01" });
      expect(run.exitCode, explain(run)).toBe(4);
      expect(savedFault(run.responsePath)).toMatchObject({ namespace: MPAY_NS, code: "UnknownService" });
      expect(run.output!.fault!.signature).toBe("signed, verified");
      await expectXmlsecOk(run.responsePath);
    });
  });

  describe("without --pin", () => {
    it("signed with the rogue certificate and key: exit 4, AuthenticationFailed (the chain check refuses it)", async () => {
      expectAuthenticationFailed(await call(unpinned, "GetOrderDetails", { signer: pki.rogue, extra: ["--style", "wss4j"] }));
    });

    it("signed by MPay with a BinarySecurityToken: accepted by the CA alone (exit 0)", async () => {
      const run = await call(unpinned, "ConfirmOrderPayment", { extra: ["--style", "wss4j", "--alg", "sha256"] });
      expect(run.exitCode, explain(run)).toBe(0);
      await expectXmlsecOk(run.responsePath);
    });

    it("a request naming MPay's key by SKI alone is refused: without --pin the provider does not know MPay's certificate", async () => {
      const run = await call(unpinned, "GetOrderDetails", { extra: ["--key-info", "ski"] });
      expectAuthenticationFailed(run);
      expect(run.output!.fault!.string).toMatch(/the signing certificate cannot be found from ds:KeyInfo/);
    });
  });

  describe("a KeyInfo form MPay does not accept", () => {
    it("a provider configured with --key-info issuer-serial answers in a form MPay does not accept: the harness refuses it (exit 6)", async () => {
      const run = await call(issuerSerial, "GetOrderDetails");
      expect(run.exitCode, explain(run)).toBe(6);
      expect(run.output!.error).toMatch(/KeyInfo/i);
    });
  });
});
