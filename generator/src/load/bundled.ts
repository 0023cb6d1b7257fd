/**
 * Well-known schemas that contracts import by their W3C URL and that never change, bundled so
 * that such a contract generates without a catalog (the generator never fetches). A user's
 * catalog still wins. Each is written here from its W3C publication; only schemas small and
 * stable enough to be reviewed line by line belong here.
 */
import { join } from "node:path";
import type { FileHost } from "./host.ts";

/** Where bundled schemas seem to live, for the loader's bookkeeping; nothing is read from disk there. */
const BUNDLED_DIR = join("/", "@mpay-kit", "codegen", "bundled");

/**
 * "Describing Media Content of Binary Data in XML", W3C Working Group Note 4 May 2005: the
 * `xmime:contentType` and `xmime:expectedContentTypes` attributes and the `xmime:base64Binary` /
 * `xmime:hexBinary` types that carry one (MTOM-era Java and .NET services import it).
 */
const XMLMIME = `<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xmime="http://www.w3.org/2005/05/xmlmime" targetNamespace="http://www.w3.org/2005/05/xmlmime">
  <xs:attribute name="contentType">
    <xs:simpleType>
      <xs:restriction base="xs:string">
        <xs:minLength value="3"/>
      </xs:restriction>
    </xs:simpleType>
  </xs:attribute>
  <xs:attribute name="expectedContentTypes" type="xs:string"/>
  <xs:complexType name="base64Binary">
    <xs:simpleContent>
      <xs:extension base="xs:base64Binary">
        <xs:attribute ref="xmime:contentType"/>
      </xs:extension>
    </xs:simpleContent>
  </xs:complexType>
  <xs:complexType name="hexBinary">
    <xs:simpleContent>
      <xs:extension base="xs:hexBinary">
        <xs:attribute ref="xmime:contentType"/>
      </xs:extension>
    </xs:simpleContent>
  </xs:complexType>
</xs:schema>
`;

/** URL → the bundled schema's file name and text. */
const BUNDLED: ReadonlyMap<string, { readonly name: string; readonly text: string }> = new Map([["http://www.w3.org/2005/05/xmlmime", { name: "xmlmime.xsd", text: XMLMIME }]]);

/** The path the loader knows a bundled schema by, when `url` names one. */
export function bundledSchemaPath(url: string): string | undefined {
  const schema = BUNDLED.get(url);
  return schema === undefined ? undefined : join(BUNDLED_DIR, schema.name);
}

/** How diagnostics name a bundled schema, or `undefined` for any other path. */
export function bundledDisplay(path: string): string | undefined {
  if (!path.startsWith(BUNDLED_DIR)) return undefined;
  return `(bundled) ${path.slice(BUNDLED_DIR.length + 1)}`;
}

const BUNDLED_BY_PATH: ReadonlyMap<string, string> = new Map([...BUNDLED.values()].map((s) => [join(BUNDLED_DIR, s.name), s.text]));

/** `host`, which also reads the bundled schemas at their paths. */
export function withBundledSchemas(host: FileHost): FileHost {
  return { readFile: (path) => BUNDLED_BY_PATH.get(path) ?? host.readFile(path) };
}
