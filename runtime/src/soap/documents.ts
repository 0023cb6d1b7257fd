/**
 * Serving the contract: `GET <endpoint>?wsdl` answers the WSDL and `?xsd=<name>` /
 * `?wsdl=<name>` its imports, with every import location and the port address rewritten to
 * point at this endpoint, so that a peer given only the `?wsdl` URL finds everything.
 */
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import type { ServedDocument, ServiceMeta } from "../meta.ts";
import { escapeAttribute } from "../xml/write.ts";

/** Returns the document a GET asks for, or `undefined` when the query names none. */
export function serveDocument(service: ServiceMeta, req: IncomingMessage, publicUrl: string | undefined): string | undefined {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  if (q < 0) return undefined;
  const query = decodeURIComponent(url.slice(q + 1));
  const key = query.toLowerCase() === "wsdl" ? "wsdl" : query;
  const doc = service.documents.find((d) => d.key === key);
  if (doc === undefined) return undefined;
  const endpoint = publicUrl ?? `${(req.socket as Partial<TLSSocket>).encrypted ? "https" : "http"}://${req.headers.host ?? "localhost"}${url.slice(0, q)}`;
  return renderDocument(doc, endpoint);
}

/** Replaces the marked ranges of a document with URLs under `endpoint`. */
export function renderDocument(doc: ServedDocument, endpoint: string): string {
  const links = [...doc.links].sort((a, b) => a.start - b.start);
  let out = "";
  let at = 0;
  for (const link of links) {
    out += doc.text.slice(at, link.start);
    out += escapeAttribute(link.target === "" ? endpoint : `${endpoint}?${link.target}`);
    at = link.end;
  }
  return out + doc.text.slice(at);
}
