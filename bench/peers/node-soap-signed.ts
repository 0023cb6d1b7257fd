/**
 * node-soap with WS-Security done by xml-crypto around it, as a user of node-soap would build
 * the signed MPay provider: node-soap cannot verify a request's signature nor sign a response as
 * a server (its `WSSecurityCert` signs only outgoing client requests).
 *
 *   node --conditions=mpay-kit-source bench/peers/node-soap-signed.ts --port 0 \
 *     --cert provider.pem --key provider-key.pem --trust ca.pem --pin mpay.pem
 *
 * prints its endpoint URL on the first line. The same service object and orders as the unsigned
 * node-soap peer (bench/peers/node-soap-provider.ts), on our WSDL file.
 *
 * The two hooks:
 * - **Verifying**: a request listener in front of node-soap's own. It reads the body, parses it
 *   with @xmldom/xmldom, finds the one `wsse:Security` header of the Envelope with its one
 *   Timestamp and one `ds:Signature`, checks the Timestamp's freshness (Created at most 300 s
 *   old and at most 60 s ahead, Expires not past: the same rules as ours), and verifies the
 *   signature with xml-crypto's `SignedXml.checkSignature`; the key comes from the
 *   BinarySecurityToken that the KeyInfo's SecurityTokenReference names, which must be the pinned
 *   MPay certificate (same DER; its chain to the CA is checked once at start-up) and valid now.
 *   The signed References must include the Envelope's own Body and the Timestamp by their
 *   `wsu:Id`s (xml-crypto refuses a document where two elements share a referenced Id, so the
 *   Body it digested is that Body). A refused request gets a `wsse:FailedAuthentication` fault
 *   (HTTP 500); an accepted one is handed on with `req.body` set, which node-soap reads instead of
 *   the stream (the path it takes behind express' body parsers).
 * - **Signing**: node-soap's `response` event, which hands out the whole answer envelope as a
 *   string (`response.result`) before it is written, and takes a replacement. Because the
 *   request had a `wsu:Timestamp`, node-soap has already put a `wsse:Security` header with its
 *   own Timestamp (`u:Id="_0"`, 600 s) into the answer; the hook signs that Timestamp and the
 *   Body with xml-crypto (RSA-SHA1 and SHA-1 digests as the contract's policy says, exclusive
 *   C14N, the certificate as `ds:X509Data` like our server's default), appending the Signature
 *   to that header. One fix-up is needed first: xml-crypto numbers the Ids it adds from `_0`, so
 *   it would give the Body `wsu:Id="_0"`, the Id node-soap already gave its Timestamp, and the
 *   answer would carry a duplicate Id that strict verifiers (ours, xmlsec's) refuse. The hook
 *   therefore writes the Body's `wsu:Id` itself before signing.
 *
 * The private key is a pre-loaded KeyObject (xml-crypto accepts one); the verifying key goes
 * through xml-crypto's API, which takes a certificate as PEM text and parses it on every call.
 * xml-crypto and @xmldom/xmldom are loaded with `require` and typed locally: their type
 * declarations pull the DOM library into the whole project's type-check.
 */
import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { parseArgs } from "node:util";
import * as soap from "soap";
import { nodeSoapServices, SERVICE_PATH, WSDL_PATH } from "./node-soap-provider.ts";

const SOAP11_ENV = "http://schemas.xmlsoap.org/soap/envelope/";
const WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
const WSU_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
const DS_NS = "http://www.w3.org/2000/09/xmldsig#";
const X509V3 = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3";
const EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
const RSA_SHA1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
const SHA1 = "http://www.w3.org/2000/09/xmldsig#sha1";
const MAX_AGE_MS = 300_000;
const FUTURE_SKEW_MS = 60_000;

// ------------------------------------------------------------------ the DOM and xml-crypto, as used here

interface DomNode {
  readonly nodeType: number;
  readonly namespaceURI: string | null;
  readonly localName: string | null;
  readonly childNodes: ArrayLike<DomNode>;
  readonly ownerDocument: DomDocument | null;
  readonly textContent: string | null;
}
interface DomElement extends DomNode {
  getAttributeNS(namespace: string | null, localName: string): string | null;
  getAttribute(name: string): string | null;
}
interface DomDocument extends DomNode {
  readonly documentElement: DomElement | null;
}
interface DomParser {
  parseFromString(source: string, mimeType: string): DomDocument;
}
interface XmlDom {
  DOMParser: new (options?: { errorHandler?: { warning?: (m: string) => void; error?: (m: string) => void; fatalError?: (m: string) => void } }) => DomParser;
}
interface SignedXmlReference {
  readonly uri?: string;
}
interface SignedXml {
  loadSignature(signature: DomElement): void;
  checkSignature(xml: string): boolean;
  getReferences(): SignedXmlReference[];
  addReference(reference: { xpath: string; transforms: string[]; digestAlgorithm: string }): void;
  computeSignature(xml: string, options: { prefix?: string; location?: { reference: string; action: "append" | "prepend" | "before" | "after" } }): void;
  getSignedXml(): string;
}
interface SignedXmlOptions {
  idMode?: "wssecurity";
  privateKey?: unknown;
  publicCert?: string;
  signatureAlgorithm?: string;
  canonicalizationAlgorithm?: string;
  getCertFromKeyInfo?: (keyInfo?: DomNode | null) => string | null;
}
interface XmlCrypto {
  SignedXml: new (options?: SignedXmlOptions) => SignedXml;
}

const require = createRequire(import.meta.url);
const { DOMParser } = require("@xmldom/xmldom") as XmlDom;
const { SignedXml } = require("xml-crypto") as XmlCrypto;

const ELEMENT = 1;

function childElements(node: DomNode, ns: string, local: string): DomElement[] {
  const out: DomElement[] = [];
  for (let i = 0; i < node.childNodes.length; i++) {
    const c = node.childNodes[i]!;
    if (c.nodeType === ELEMENT && c.namespaceURI === ns && c.localName === local) out.push(c as DomElement);
  }
  return out;
}

function elementChildren(node: DomNode): DomElement[] {
  const out: DomElement[] = [];
  for (let i = 0; i < node.childNodes.length; i++) if (node.childNodes[i]!.nodeType === ELEMENT) out.push(node.childNodes[i] as DomElement);
  return out;
}

function only(elements: DomElement[], what: string): DomElement {
  if (elements.length !== 1) throw new Refused(`expected exactly one ${what}, found ${elements.length}`);
  return elements[0]!;
}

/** A request that fails verification. */
class Refused extends Error {}

// ------------------------------------------------------------------------------ verifying requests

interface Trust {
  /** The pinned MPay certificate (DER) and its PEM text for xml-crypto. */
  readonly pinnedDer: Buffer;
  readonly pinnedPem: string;
  readonly validFrom: number;
  readonly validTo: number;
}

function loadTrust(pinFile: string, trustFile: string): Trust {
  const pinned = new X509Certificate(readFileSync(pinFile));
  const ca = new X509Certificate(readFileSync(trustFile));
  // The pin is checked against the CA once; per request only "is it the pinned certificate, valid now".
  if (!pinned.checkIssued(ca) || !pinned.verify(ca.publicKey)) throw new Error(`${pinFile} is not issued by ${trustFile}`);
  return { pinnedDer: pinned.raw, pinnedPem: pinned.toString(), validFrom: Date.parse(pinned.validFrom), validTo: Date.parse(pinned.validTo) };
}

/** The certificate for xml-crypto: the BinarySecurityToken that KeyInfo's SecurityTokenReference names, if it is the pinned one. */
function certificateFromToken(keyInfo: DomNode | null | undefined, security: DomElement, trust: Trust): string {
  if (keyInfo === null || keyInfo === undefined) throw new Refused("the Signature has no KeyInfo");
  const str = only(childElements(keyInfo, WSSE_NS, "SecurityTokenReference"), "wsse:SecurityTokenReference in KeyInfo");
  const reference = only(childElements(str, WSSE_NS, "Reference"), "wsse:Reference in the SecurityTokenReference");
  const uri = reference.getAttribute("URI") ?? "";
  if (!uri.startsWith("#")) throw new Refused(`the token reference ${JSON.stringify(uri)} is not a same-document reference`);
  const tokens = childElements(security, WSSE_NS, "BinarySecurityToken").filter((t) => t.getAttributeNS(WSU_NS, "Id") === uri.slice(1));
  const token = only(tokens, `wsse:BinarySecurityToken with wsu:Id ${uri.slice(1)}`);
  if (token.getAttribute("ValueType") !== X509V3) throw new Refused("the BinarySecurityToken is not an X.509 v3 certificate");
  const der = Buffer.from((token.textContent ?? "").replace(/\s+/g, ""), "base64");
  if (!der.equals(trust.pinnedDer)) throw new Refused("the signer is not the pinned MPay certificate");
  const now = Date.now();
  if (now < trust.validFrom || now > trust.validTo) throw new Refused("the MPay certificate is not valid now");
  return trust.pinnedPem;
}

function checkTimestamp(timestamp: DomElement): void {
  const [created, expires, ...rest] = elementChildren(timestamp);
  if (created?.namespaceURI !== WSU_NS || created.localName !== "Created" || rest.length > 0) throw new Refused("malformed wsu:Timestamp");
  const now = Date.now();
  const createdAt = Date.parse((created.textContent ?? "").trim());
  if (Number.isNaN(createdAt)) throw new Refused("wsu:Created is not a date-time");
  if (createdAt > now + FUTURE_SKEW_MS) throw new Refused("the message was created in the future");
  if (now - createdAt > MAX_AGE_MS) throw new Refused("the message is too old");
  if (expires !== undefined) {
    if (expires.namespaceURI !== WSU_NS || expires.localName !== "Expires") throw new Refused("malformed wsu:Timestamp");
    const expiresAt = Date.parse((expires.textContent ?? "").trim());
    if (Number.isNaN(expiresAt) || expiresAt <= now - FUTURE_SKEW_MS) throw new Refused("the message has expired");
  }
}

const strictParser = new DOMParser({
  errorHandler: {
    error: (m) => {
      throw new Refused(`not well-formed XML: ${m}`);
    },
    fatalError: (m) => {
      throw new Refused(`not well-formed XML: ${m}`);
    },
  },
});

/** Verifies the WS-Security signature of a request; throws {@link Refused} when it does not hold. */
export function verifyRequest(xml: string, trust: Trust): void {
  const doc = strictParser.parseFromString(xml, "text/xml");
  const envelope = doc.documentElement;
  if (envelope === null || envelope.namespaceURI !== SOAP11_ENV || envelope.localName !== "Envelope") throw new Refused("not a SOAP 1.1 Envelope");
  const header = only(childElements(envelope, SOAP11_ENV, "Header"), "soap:Header");
  const body = only(childElements(envelope, SOAP11_ENV, "Body"), "soap:Body");
  const security = only(childElements(header, WSSE_NS, "Security"), "wsse:Security header");
  const timestamp = only(childElements(security, WSU_NS, "Timestamp"), "wsu:Timestamp");
  const signature = only(childElements(security, DS_NS, "Signature"), "ds:Signature");
  checkTimestamp(timestamp);
  const bodyId = body.getAttributeNS(WSU_NS, "Id");
  const timestampId = timestamp.getAttributeNS(WSU_NS, "Id");
  if (bodyId === null || timestampId === null) throw new Refused("the Body or the Timestamp has no wsu:Id, so the signature cannot cover it");

  const verifier = new SignedXml({ getCertFromKeyInfo: (keyInfo) => certificateFromToken(keyInfo, security, trust) });
  verifier.loadSignature(signature);
  let valid: boolean;
  try {
    valid = verifier.checkSignature(xml);
  } catch (error) {
    throw error instanceof Refused ? error : new Refused((error as Error).message);
  }
  if (!valid) throw new Refused("a Reference's digest does not match");
  const uris = new Set(verifier.getReferences().map((r) => r.uri));
  if (!uris.has(`#${bodyId}`)) throw new Refused("the signature does not cover the Body");
  if (!uris.has(`#${timestampId}`)) throw new Refused("the signature does not cover the Timestamp");
}

function refuse(res: ServerResponse, reason: string): void {
  const fault =
    `<soap:Envelope xmlns:soap="${SOAP11_ENV}"><soap:Body><soap:Fault>` +
    `<faultcode xmlns:wsse="${WSSE_NS}">wsse:FailedAuthentication</faultcode>` +
    `<faultstring>${reason.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</faultstring>` +
    `</soap:Fault></soap:Body></soap:Envelope>`;
  res.writeHead(500, { "content-type": "text/xml; charset=utf-8", "content-length": Buffer.byteLength(fault) }).end(fault);
}

// ------------------------------------------------------------------------------- signing answers

interface Signer {
  readonly privateKey: ReturnType<typeof createPrivateKey>;
  readonly certificatePem: string;
}

/** Signs node-soap's answer envelope (see the file's comment for the Body Id fix-up). */
export function signAnswer(xml: string, signer: Signer): string {
  const bodyTag = "<soap:Body>";
  const at = xml.indexOf(bodyTag);
  if (at < 0) throw new Error("node-soap's answer has no <soap:Body> start tag");
  const withBodyId = `${xml.slice(0, at)}<soap:Body xmlns:wsu="${WSU_NS}" wsu:Id="Body-1">${xml.slice(at + bodyTag.length)}`;
  const sig = new SignedXml({
    idMode: "wssecurity",
    privateKey: signer.privateKey,
    publicCert: signer.certificatePem,
    signatureAlgorithm: RSA_SHA1,
    canonicalizationAlgorithm: EXC_C14N,
  });
  sig.addReference({
    xpath: `//*[local-name()='Security' and namespace-uri()='${WSSE_NS}']/*[local-name()='Timestamp' and namespace-uri()='${WSU_NS}']`,
    transforms: [EXC_C14N],
    digestAlgorithm: SHA1,
  });
  sig.addReference({ xpath: `/*[local-name()='Envelope']/*[local-name()='Body' and namespace-uri()='${SOAP11_ENV}']`, transforms: [EXC_C14N], digestAlgorithm: SHA1 });
  sig.computeSignature(withBodyId, { prefix: "ds", location: { reference: `//*[local-name()='Security' and namespace-uri()='${WSSE_NS}']`, action: "append" } });
  return sig.getSignedXml();
}

// ----------------------------------------------------------------------------------------- server

export interface SignedPeerOptions {
  readonly certFile: string;
  readonly keyFile: string;
  readonly trustFile: string;
  readonly pinFile: string;
  readonly onRefused?: (reason: string) => void;
}

export async function startSignedNodeSoapProvider(port: number, options: SignedPeerOptions): Promise<{ url: string; close(): Promise<void> }> {
  const trust = loadTrust(options.pinFile, options.trustFile);
  const signer: Signer = { privateKey: createPrivateKey(readFileSync(options.keyFile)), certificatePem: readFileSync(options.certFile, "utf8") };
  const server = createServer();
  await new Promise<void>((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolvePromise());
  });
  const soapServer = await new Promise<soap.Server>((resolvePromise, reject) => {
    const s: soap.Server = soap.listen(server, {
      path: SERVICE_PATH,
      services: nodeSoapServices(),
      xml: readFileSync(WSDL_PATH, "utf8"),
      uri: WSDL_PATH,
      suppressStack: true,
      enableChunkedEncoding: false,
      callback: (error: unknown) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolvePromise(s)),
    });
  });
  soapServer.on("response", (response: { result: string }) => {
    response.result = signAnswer(response.result, signer);
  });
  // node-soap's listener (soap.listen replaced the server's listeners with it), behind the verifier.
  const soapListener = server.listeners("request")[0] as (req: IncomingMessage, res: ServerResponse) => void;
  server.removeAllListeners("request");
  server.on("request", (req: IncomingMessage & { body?: Buffer }, res: ServerResponse) => {
    if (req.method !== "POST" || (req.url ?? "/").split("?")[0] !== SERVICE_PATH) {
      soapListener(req, res);
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      try {
        verifyRequest(body.toString("utf8"), trust);
      } catch (error) {
        const reason = error instanceof Refused ? error.message : `verification failed: ${(error as Error).message}`;
        options.onRefused?.(reason);
        refuse(res, reason);
        return;
      }
      req.body = body;
      soapListener(req, res);
    });
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}${SERVICE_PATH}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { port: { type: "string", default: "0" }, cert: { type: "string" }, key: { type: "string" }, trust: { type: "string" }, pin: { type: "string" } },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || values.cert === undefined || values.key === undefined || values.trust === undefined || values.pin === undefined) {
    process.stderr.write("usage: node-soap-signed.ts [--port <port>] --cert <provider.pem> --key <provider-key.pem> --trust <ca.pem> --pin <mpay.pem>\n");
    process.exit(2);
  }
  const peer = await startSignedNodeSoapProvider(port, {
    certFile: values.cert,
    keyFile: values.key,
    trustFile: values.trust,
    pinFile: values.pin,
    onRefused: (reason) => process.stderr.write(`node-soap-signed: request refused: ${reason}\n`),
  });
  process.stdout.write(`${peer.url}\n`);
  const stop = () => void peer.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
