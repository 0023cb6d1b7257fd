/**
 * Catalogs for the corpus entries that import over the network. The generator never fetches (a
 * catalog maps absolute URLs to local files, generator/src/load/catalog.ts); these entries' own
 * test suites serve or mock the very files that sit next to them in the corpus (MANIFEST.md, the
 * entries' notes: "served from ...", "mocks that URL with ..."). Each catalog says so, URL by URL;
 * an entry whose remote file is not in the corpus (ActonService2's W3C xmlmime schema) has none.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CORPUS, CORPUS_ARTIFACTS, type CorpusEntry } from "./corpus.ts";

const PARTNER = "http://secapp.euroconsumers.org/partnerservice/PartnerService.svc?xsd=xsd";

/** Entry (its id: the path in the corpus) → URL → local file (path in the corpus). */
const CATALOGS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  // node-soap's server-xsd-include-test.js serves the WSDL and its XSD from a local node-soap server.
  "node-soap/test/wsdl/strict/stockquote-url.wsdl": { "http://localhost:51515/ImportSample.xsd": "node-soap/test/wsdl/strict/ImportSample.xsd" },
  // client-customHttp-xsdinclude-test.js serves the include from test/wsdl/xsdinclude/types.xsd.
  "node-soap/test/wsdl/xsdinclude/xsd_include_http.wsdl": { "http://localhost:50000/Platform.asmx?xsd": "node-soap/test/wsdl/xsdinclude/types.xsd" },
  "strong-soap/test/wsdl/xsdinclude/xsd_include_http.wsdl": { "http://localhost:50000/Platform.asmx?xsd": "strong-soap/test/wsdl/xsdinclude/types.xsd" },
  // zeep's test mocks the SOAP encoding schema's URL with soap-enc.xsd.
  "python-zeep/tests/wsdl_files/soap_import_main.wsdl": { "http://schemas.xmlsoap.org/soap/encoding/": "python-zeep/tests/wsdl_files/soap-enc.xsd" },
  // WCF's ?xsd=xsdN documents, saved next to the WSDL as PartnerService.N.xsd.
  "wsdltophp-packagegenerator/tests/resources/partner/PartnerService.wsdl": Object.fromEntries(
    Array.from({ length: 19 }, (_, n) => [`${PARTNER}${n}`, `wsdltophp-packagegenerator/tests/resources/partner/PartnerService.${n}.xsd`]),
  ),
};

/** Writes the entry's catalog (absolute paths) under test-artifacts and returns its path, or `undefined` when it has none. */
export function catalogFor(entry: CorpusEntry): string | undefined {
  const map = CATALOGS[entry.id];
  if (map === undefined) return undefined;
  const dir = join(CORPUS_ARTIFACTS, "catalogs");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${entry.slug}.json`);
  writeFileSync(file, `${JSON.stringify({ map: Object.fromEntries(Object.entries(map).map(([url, local]) => [url, join(CORPUS, local)])) }, null, 2)}\n`);
  return file;
}
