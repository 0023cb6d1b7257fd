/**
 * Mutual TLS between the server helper and the SOAP client, over 127.0.0.1, with a throwaway PKI
 * made by the harness's certs.sh (ca, mpay and provider issued by ca; rogue self-signed with
 * mpay's subject). Also the proxy header mode, where a TLS-terminating proxy forwards the client
 * certificate and a verifier decides.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { createServer as createTcpServer, type AddressInfo, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { builtin, complexType, element, operation, service, SoapClient, createSoapRequestHandler, SoapFault, type RequestContext } from "../../runtime/src/codegen/v1/index.ts";
import { TransportError } from "../../runtime/src/errors.ts";
import { clientCertificateOf, listenSoap, type ClientRefusal, type RunningSoapServer } from "../../runtime/src/transport/server.ts";
import { readCertificateHeader, type CertificateCheck, type CertificateVerifier } from "../../runtime/src/transport/tls.ts";
import { ServiceProviderClient, createServiceProviderHandler } from "@mpay-kit/mpay-service-provider";

const NS = "urn:whoami";
const Ask = element("Ask", NS, () => complexType(`{${NS}}Ask`, [element("Text", NS, () => builtin("string"))]));
const AskResponse = element("AskResponse", NS, () => complexType(`{${NS}}AskResponse`, [element("Caller", NS, () => builtin("string"))]));
const WhoAmI = service({
  name: "WhoAmI",
  port: "WhoAmIPort",
  namespace: NS,
  soapVersion: "1.1",
  address: "http://localhost/whoami",
  operations: {
    Ask: operation<{ Text: string }, { Caller: string }>({ name: "Ask", soapAction: "urn:whoami/Ask", style: "document-literal-wrapped", input: Ask, output: AskResponse }),
  },
  documents: [],
});

let handled = 0;
/** Answers with the subject of the verified client certificate, or "anonymous". */
const whoAmI = createSoapRequestHandler(WhoAmI, {
  Ask(input: { Text: string }, context: RequestContext) {
    handled++;
    if (input.Text === "hang") return new Promise(() => undefined);
    return { Caller: clientCertificateOf(context.request)?.subject.replaceAll("\n", ", ") ?? "anonymous" };
  },
} as never);

const MPAY_SUBJECT = "C=MD, O=MPay Harness, CN=MPay Test Client";
let dir: string;
let pem: (name: string) => string;
const servers: RunningSoapServer[] = [];
const clients: SoapClient[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "mpay-tls-"));
  execFileSync("bash", [resolve(import.meta.dirname, "../../../shared/harness/certs.sh"), dir], { stdio: "ignore" });
  pem = (name) => readFileSync(join(dir, name), "utf8");
});
afterAll(async () => {
  await Promise.all([...clients.map((c) => c.close()), ...servers.map((s) => s.close(100))]);
  rmSync(dir, { recursive: true, force: true });
});

async function serve(...args: Parameters<typeof listenSoap>): Promise<RunningSoapServer> {
  const running = await listenSoap(...args);
  servers.push(running);
  return running;
}

function client(options: Omit<ConstructorParameters<typeof SoapClient>[1], "endpoint"> & { endpoint: string }): SoapClient {
  const made = new SoapClient(WhoAmI, { timeoutMs: 5000, ...options });
  clients.push(made);
  return made;
}

const ask = (c: SoapClient, text = "hi") => c.call(WhoAmI.operations.Ask, { Text: text });
const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe("mutual TLS", () => {
  let mtls: RunningSoapServer;
  const refusals: ClientRefusal[] = [];
  const mpay = () => ({ cert: pem("mpay.crt"), key: pem("mpay.key"), ca: pem("ca.crt") });

  beforeAll(async () => {
    mtls = await serve(whoAmI, { tls: { cert: pem("provider.crt"), key: pem("provider.key"), ca: pem("ca.crt") }, onRefusal: (r) => refusals.push(r) });
  });

  it("serves a client whose certificate chains to the anchors, and tells the handler who it is", async () => {
    expect(mtls.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    const good = client({ endpoint: mtls.url, tls: mpay() });
    await expect(ask(good)).resolves.toEqual({ Caller: MPAY_SUBJECT });
    // The kept-alive connection serves the next call with the same verified certificate.
    await expect(ask(good)).resolves.toEqual({ Caller: MPAY_SUBJECT });
  });

  it("refuses a client without a certificate in the handshake, before any handler runs", async () => {
    const before = handled;
    const error = await failureOf(ask(client({ endpoint: mtls.url, tls: { ca: pem("ca.crt") } })));
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ problem: "tls" });
    expect((error as Error).message).toMatch(/refused the TLS handshake.*CERTIFICATE_REQUIRED/);
    expect(handled).toBe(before);
    expect(refusals.at(-1)).toMatchObject({ stage: "handshake", remoteAddress: "127.0.0.1" });
    expect(refusals.at(-1)!.reason).toMatch(/peer did not return a certificate|certificate required/i);
  });

  it("refuses a client whose certificate does not chain to the anchors, even with the trusted subject", async () => {
    const before = handled;
    const error = await failureOf(ask(client({ endpoint: mtls.url, tls: { cert: pem("rogue.crt"), key: pem("rogue.key"), ca: pem("ca.crt") } })));
    expect(error).toBeInstanceOf(TransportError);
    // Node's server closes such a connection without a TLS alert: the client cannot know why,
    // and says what it likely means.
    expect(error).toMatchObject({ problem: "network" });
    expect((error as Error).message).toMatch(/closed the connection without an answer .*client certificates .* one it does not trust/);
    expect(handled).toBe(before);
    expect(refusals.at(-1)).toMatchObject({ stage: "handshake", reason: "client certificate refused: DEPTH_ZERO_SELF_SIGNED_CERT" });
  });

  it("takes the client credentials as PKCS#12, or as parsed certificates and a KeyObject", async () => {
    const p12 = client({ endpoint: mtls.url, tls: { pfx: readFileSync(join(dir, "mpay.p12")), passphrase: "test", ca: pem("ca.crt") } });
    await expect(ask(p12)).resolves.toEqual({ Caller: MPAY_SUBJECT });
    const parsed = client({ endpoint: mtls.url, tls: { cert: new X509Certificate(pem("mpay.crt")), key: createPrivateKey(pem("mpay.key")), ca: [new X509Certificate(pem("ca.crt"))] } });
    await expect(ask(parsed)).resolves.toEqual({ Caller: MPAY_SUBJECT });
  });

  it("the client refuses a server whose certificate does not chain to its anchors", async () => {
    const before = handled;
    // Anchors that did not issue the provider's certificate.
    const error = await failureOf(ask(client({ endpoint: mtls.url, tls: { ...mpay(), ca: pem("rogue.crt") } })));
    expect(error).toMatchObject({ problem: "tls" });
    expect((error as Error).message).toMatch(/server certificate of https:\/\/127\.0\.0\.1:\d+\/ is not trusted: (SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)/);
    // Node's public roots do not include the test CA either.
    const publicRoots = await failureOf(ask(client({ endpoint: mtls.url, tls: { cert: pem("mpay.crt"), key: pem("mpay.key") } })));
    expect(publicRoots).toMatchObject({ problem: "tls" });
    expect(handled).toBe(before);
  });

  it("the client checks the server's name", async () => {
    const error = await failureOf(ask(client({ endpoint: mtls.url, tls: { ...mpay(), servername: "mpay.example" } })));
    expect(error).toMatchObject({ problem: "tls" });
    expect((error as Error).message).toMatch(/not trusted: ERR_TLS_CERT_ALTNAME_INVALID/);
  });

  it("a server that makes client certificates optional serves everyone but reports only trusted ones", async () => {
    const optional = await serve(whoAmI, { tls: { cert: pem("provider.crt"), key: pem("provider.key"), ca: pem("ca.crt"), requireClientCertificate: false } });
    await expect(ask(client({ endpoint: optional.url, tls: mpay() }))).resolves.toEqual({ Caller: MPAY_SUBJECT });
    await expect(ask(client({ endpoint: optional.url, tls: { ca: pem("ca.crt") } }))).resolves.toEqual({ Caller: "anonymous" });
    await expect(ask(client({ endpoint: optional.url, tls: { cert: pem("rogue.crt"), key: pem("rogue.key"), ca: pem("ca.crt") } }))).resolves.toEqual({ Caller: "anonymous" });
  });

  it("the generated MPay client presents its certificate to a generated server", async () => {
    const seen: string[] = [];
    const provider = await serve(
      createServiceProviderHandler({
        GetOrderDetails: (_input, context) => {
          seen.push(clientCertificateOf(context.request)?.subject.replaceAll("\n", ", ") ?? "anonymous");
          return { GetOrderDetailsResult: [] };
        },
        ConfirmOrderPayment: () => {
          throw new SoapFault("UnknownOrder", "no such order");
        },
      }, { wsSecurity: false }),
      { tls: { cert: pem("provider.crt"), key: pem("provider.key"), ca: pem("ca.crt") } },
    );
    const mpayClient = new ServiceProviderClient({ endpoint: `${provider.url}ServiceProvider.svc`, tls: mpay(), timeoutMs: 5000, wsSecurity: false });
    await expect(mpayClient.GetOrderDetails({ query: { OrderKey: "K1", ServiceID: "S1" } })).resolves.toEqual({ GetOrderDetailsResult: [] });
    expect(seen).toEqual([MPAY_SUBJECT]);
  });
});

describe("client time limits", () => {
  it("gives up connecting when the TLS handshake never completes: connect-timeout, nothing sent", async () => {
    // Accepts TCP connections and never says a word: the TLS handshake cannot finish.
    const sockets: Socket[] = [];
    const silent = createTcpServer((socket) => sockets.push(socket));
    await new Promise<void>((done) => silent.listen(0, "127.0.0.1", done));
    try {
      const port = (silent.address() as AddressInfo).port;
      const started = performance.now();
      const error = await failureOf(ask(client({ endpoint: `https://127.0.0.1:${port}/`, connectTimeoutMs: 300, timeoutMs: 5000, tls: { ca: pem("ca.crt") } })));
      const took = performance.now() - started;
      expect(error).toBeInstanceOf(TransportError);
      expect(error).toMatchObject({ problem: "connect-timeout" });
      expect((error as Error).message).toMatch(/Ask: no connection to https:\/\/127\.0\.0\.1:\d+\/ within the connect timeout/);
      expect(took).toBeGreaterThanOrEqual(250);
      expect(took).toBeLessThan(3000);
      expect(sockets.length).toBe(1);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });

  it("gives up waiting for the answer after the response timeout", async () => {
    const mtls = await serve(whoAmI, { tls: { cert: pem("provider.crt"), key: pem("provider.key"), ca: pem("ca.crt") } });
    const started = performance.now();
    const error = await failureOf(ask(client({ endpoint: mtls.url, timeoutMs: 400, connectTimeoutMs: 2000, tls: { cert: pem("mpay.crt"), key: pem("mpay.key"), ca: pem("ca.crt") } }), "hang"));
    expect(error).toMatchObject({ problem: "timeout" });
    expect((error as Error).message).toMatch(/no answer within 400 ms/);
    expect(performance.now() - started).toBeLessThan(3000);
  });
});

/** A real check against one anchor: issued by it, signed by its key, and valid at the time. */
function anchoredIn(anchor: X509Certificate): CertificateVerifier & { calls: number } {
  return {
    calls: 0,
    check(certificate: X509Certificate, { at }: { at: Date }): CertificateCheck {
      this.calls++;
      if (!certificate.checkIssued(anchor) || !certificate.verify(anchor.publicKey)) return { ok: false, reason: "not issued by the trusted CA" };
      if (at < new Date(certificate.validFrom) || at > new Date(certificate.validTo)) return { ok: false, reason: "outside its validity period" };
      return { ok: true };
    },
  };
}

describe("behind a TLS-terminating proxy (client certificate in a header)", () => {
  let proxied: RunningSoapServer;
  let verifier: ReturnType<typeof anchoredIn>;
  const refusals: ClientRefusal[] = [];
  const HEADER = "X-SSL-Client-Cert";
  const withHeader = (value: string) => client({ endpoint: proxied.url, headers: { [HEADER]: value } });
  const pemBody = (name: string) => pem(name).trim();

  beforeAll(async () => {
    verifier = anchoredIn(new X509Certificate(pem("ca.crt")));
    proxied = await serve(whoAmI, { clientCertificateHeader: { name: HEADER, verifier, faultCode: "Unauthorized", faultNamespace: "urn:whoami" }, onRefusal: (r) => refusals.push(r) });
  });

  it.each([
    ["URL-encoded PEM (nginx $ssl_client_escaped_cert)", () => encodeURIComponent(`${pemBody("mpay.crt")}\n`)],
    ["PEM with spaces for line breaks", () => pemBody("mpay.crt").replaceAll("\n", " ")],
    ["PEM with tabs for line breaks", () => pemBody("mpay.crt").replaceAll("\n", "\t")],
    ["bare base64 DER", () => readFileSync(join(dir, "mpay.cer")).toString("base64")],
    ["a chain, leaf first", () => encodeURIComponent(`${pemBody("mpay.crt")}\n${pemBody("ca.crt")}\n`)],
  ])("admits a trusted certificate sent as %s, and the handler sees it", async (_form, value) => {
    await expect(ask(withHeader(value()))).resolves.toEqual({ Caller: MPAY_SUBJECT });
  });

  async function refusal(headers: Record<string, string>) {
    const before = handled;
    const calls = verifier.calls;
    const error = await failureOf(ask(client({ endpoint: proxied.url, headers })));
    expect(handled).toBe(before);
    expect(error).toBeInstanceOf(SoapFault);
    expect(error).toMatchObject({ httpStatus: 403, code: "Unauthorized", namespace: "urn:whoami" });
    return { fault: error as SoapFault, verified: verifier.calls - calls, refusal: refusals.at(-1)! };
  }

  it("refuses a request without the header with 403 and a SOAP fault", async () => {
    const { fault, verified, refusal: r } = await refusal({});
    expect(fault.reason).toBe("a client certificate is required");
    expect(verified).toBe(0);
    expect(r).toMatchObject({ stage: "header", reason: "no x-ssl-client-cert header" });
  });

  it("refuses a certificate the verifier does not trust (the rogue with MPay's subject)", async () => {
    const { fault, verified, refusal: r } = await refusal({ [HEADER]: encodeURIComponent(pem("rogue.crt")) });
    expect(fault.reason).toBe("the client certificate is not trusted");
    expect(verified).toBe(1);
    expect(r.reason).toMatch(/CN=MPay Test Client: not issued by the trusted CA/);
  });

  it.each([
    ["random text", () => "hello"],
    ["a truncated PEM", () => encodeURIComponent(pemBody("mpay.crt").slice(0, 300))],
    ["base64 that is not a certificate", () => Buffer.from("not a certificate at all").toString("base64")],
    ["broken URL encoding", () => "%E0%A4%A"],
    ["text after the certificate", () => encodeURIComponent(`${pemBody("mpay.crt")}\nextra`)],
  ])("refuses %s in the header", async (_what, value) => {
    const { fault, verified } = await refusal({ [HEADER]: value() });
    expect(fault.reason).toBe("the client certificate is not readable");
    expect(verified).toBe(0);
  });

  it("refuses the header sent twice", async () => {
    const good = encodeURIComponent(pem("mpay.crt"));
    const before = handled;
    const status = await new Promise<number>((done, fail) => {
      const req = httpRequest(proxied.url, { method: "POST", headers: { [HEADER]: [good, good], "content-type": "text/xml" } }, (res) => {
        res.resume();
        done(res.statusCode ?? 0);
      });
      req.on("error", fail);
      req.end();
    });
    expect(status).toBe(403);
    expect(handled).toBe(before);
  });

  it("a verifier that throws refuses the request", async () => {
    const broken = await serve(whoAmI, {
      clientCertificateHeader: {
        name: HEADER,
        verifier: {
          check() {
            throw new Error("trust store unavailable");
          },
        },
      },
    });
    const error = await failureOf(ask(client({ endpoint: broken.url, headers: { [HEADER]: encodeURIComponent(pem("mpay.crt")) } })));
    expect(error).toMatchObject({ httpStatus: 403, code: "Client", namespace: "http://schemas.xmlsoap.org/soap/envelope/" });
  });

  it("an asynchronous verifier is awaited", async () => {
    const slow = await serve(whoAmI, {
      clientCertificateHeader: { name: HEADER, verifier: { check: async (cert, options) => (await Promise.resolve(), anchoredIn(new X509Certificate(pem("ca.crt"))).check(cert, options)) } },
    });
    await expect(ask(client({ endpoint: slow.url, headers: { [HEADER]: encodeURIComponent(pem("mpay.crt")) } }))).resolves.toEqual({ Caller: MPAY_SUBJECT });
    const error = await failureOf(ask(client({ endpoint: slow.url, headers: { [HEADER]: encodeURIComponent(pem("rogue.crt")) } })));
    expect(error).toMatchObject({ httpStatus: 403 });
  });

  it("without the header mode a plain HTTP server never trusts such a header", async () => {
    const plain = await serve(whoAmI);
    await expect(ask(client({ endpoint: plain.url, headers: { [HEADER]: encodeURIComponent(pem("mpay.crt")) } }))).resolves.toEqual({ Caller: "anonymous" });
  });
});

describe("settings that would not fail closed are refused", () => {
  it("server: client certificates required without anchors, or a header mode on HTTPS", async () => {
    await expect(listenSoap(whoAmI, { tls: { cert: pem("provider.crt"), key: pem("provider.key") } })).rejects.toThrow(/tls\.ca .* is required/);
    await expect(
      listenSoap(whoAmI, { tls: { cert: pem("provider.crt"), key: pem("provider.key"), ca: pem("ca.crt") }, clientCertificateHeader: { name: "x-cert", verifier: anchoredIn(new X509Certificate(pem("ca.crt"))) } }),
    ).rejects.toThrow(/clientCertificateHeader is for plain HTTP/);
    await expect(listenSoap(whoAmI, { tls: { cert: pem("provider.crt"), ca: pem("ca.crt") } })).rejects.toThrow(/cert and key together/);
    await expect(listenSoap(whoAmI, { clientCertificateHeader: { name: "bad header", verifier: anchoredIn(new X509Certificate(pem("ca.crt"))) } })).rejects.toThrow(/not an HTTP header name/);
  });

  it("client: TLS settings with a custom fetch, or on an http endpoint", () => {
    expect(() => new SoapClient(WhoAmI, { endpoint: "https://127.0.0.1/", fetch: globalThis.fetch, tls: { ca: pem("ca.crt") } })).toThrow(/tls configure the built-in transport/);
    expect(() => new SoapClient(WhoAmI, { endpoint: "http://127.0.0.1/", tls: { ca: pem("ca.crt") } })).toThrow(/not an https URL/);
    expect(() => new SoapClient(WhoAmI, { endpoint: "https://127.0.0.1/", tls: { cert: pem("mpay.crt") } })).toThrow(/cert and key together/);
  });
});

describe("readCertificateHeader", () => {
  it("reads the forms proxies send into the same certificate", () => {
    const expected = new X509Certificate(pem("mpay.crt")).fingerprint256;
    const body = pem("mpay.crt").trim();
    for (const form of [body, encodeURIComponent(body), body.replaceAll("\n", " "), readFileSync(join(dir, "mpay.cer")).toString("base64")]) {
      expect(readCertificateHeader(form).fingerprint256).toBe(expected);
    }
  });
});
