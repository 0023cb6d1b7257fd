/**
 * The namespace-resolved XML tree that the runtime reads.
 *
 * Every name is resolved to a namespace URI at parse time, so nothing downstream ever looks
 * at a prefix to decide what an element means. Prefixes are kept only for diagnostics and
 * for resolving QName-valued content (`xsi:type`, `faultcode`), which is why each element
 * also carries the namespace declarations it makes itself.
 *
 * Offsets (`start`, `end`) index the source string the parser was given, so that a security
 * layer can find the exact text of any element (for example the signed `soap:Body`).
 */

/** An attribute other than a namespace declaration. */
export interface XmlAttribute {
  /** Namespace URI; `""` for an unprefixed attribute (attributes never take the default namespace). */
  readonly ns: string;
  readonly local: string;
  /** Prefix as written (`""` when none); for diagnostics only. */
  readonly prefix: string;
  /** Value with entity and character references expanded and attribute-value normalization applied. */
  readonly value: string;
}

/** A namespace declaration made on an element: `xmlns="uri"` (prefix `""`) or `xmlns:p="uri"`. */
export interface XmlNamespaceDeclaration {
  readonly prefix: string;
  readonly uri: string;
}

export interface XmlElement {
  readonly kind: "element";
  /** Namespace URI; `""` when the element is in no namespace. */
  readonly ns: string;
  readonly local: string;
  /** Prefix as written (`""` when none); for diagnostics only. */
  readonly prefix: string;
  readonly attributes: readonly XmlAttribute[];
  /** Declarations made on this element, in document order. */
  readonly namespaces: readonly XmlNamespaceDeclaration[];
  readonly children: readonly XmlNode[];
  readonly parent: XmlElement | undefined;
  /** Offset of the `<` of the start tag in the source string. */
  readonly start: number;
  /** Offset just past the `>` of the end tag (or of the empty-element tag). */
  readonly end: number;
  /** 1-based line and column of the start tag, for diagnostics. */
  readonly line: number;
  readonly column: number;
}

/** Character data: text and CDATA sections, with references expanded. Adjacent runs are merged. */
export interface XmlText {
  readonly kind: "text";
  readonly value: string;
}

export type XmlNode = XmlElement | XmlText;

/** The parsed document: its one root element. Comments and processing instructions are dropped. */
export interface XmlDocument {
  readonly root: XmlElement;
}
