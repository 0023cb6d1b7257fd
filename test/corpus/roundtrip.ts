/**
 * The round trip for one generated package: for each operation of each generated service, a
 * value for the input and the output element (those the operation has), for each declared
 * header element and for each declared fault's detail element, built from the package's own descriptors, is
 * encoded with the runtime, validated against the contract's schemas with libxml2 (the
 * generator's `validate` module: one schema set per contract, compiled once), decoded back and
 * compared with the value it came from.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { CodecError, decodeElement, encodeElementToString, parseXml, type ElementMeta, type OperationMeta, type ServiceMeta, type XmlElement } from "@mpay-kit/runtime";
import { validateMessages } from "../../generator/src/validate.ts";
import { classifyCodec, classifyValidation } from "./classify.ts";
import { difference, UnknownDescriptor, UnsatisfiableValue, ValueBuilder } from "./values.ts";

const XSD = "http://www.w3.org/2001/XMLSchema";

/** `ok`, or the category of the first failure of the operation (input first, then output). */
export type OperationOutcome = string;

interface Message {
  readonly operation: string;
  /** `input`, `output`, or a header block of either: `input header`, `output header`. */
  readonly direction: string;
  readonly meta: ElementMeta;
  readonly value: unknown;
  readonly xml: string;
}

/**
 * Runs the round trip for the package in `outDir` (generated from `wsdl`). Returns the outcome
 * per operation, keyed `Operation` (or `Service.Port.Operation` when the package has several ports).
 */
export async function roundTrip(outDir: string, wsdl: string, baseDir: string, catalog?: string): Promise<Record<string, OperationOutcome>> {
  const module = (await import(pathToFileURL(join(outDir, "src/meta.ts")).href)) as Record<string, unknown>;
  const services = Object.values(module).filter((v): v is ServiceMeta => typeof v === "object" && v !== null && (v as { kind?: unknown }).kind === "service");
  const outcomes: Record<string, OperationOutcome> = {};
  const messages: Message[] = [];
  // Global element descriptors (`<Name>Element`): what a strict xs:any can hold.
  const globals = Object.values(module).filter((v): v is ElementMeta => typeof v === "object" && v !== null && (v as { kind?: unknown }).kind === "element");
  for (const service of services) {
    for (const [name, operation] of Object.entries(service.operations) as [string, OperationMeta][]) {
      const key = services.length === 1 ? name : `${service.name}.${service.port}.${name}`;
      outcomes[key] = "ok";
      // The Body elements (absent for an empty Body; one per part for several), then the header
      // blocks the binding declares, then the detail elements of the declared faults.
      const elements: [string, ElementMeta | undefined][] = [
        ["input", operation.input],
        ["output", operation.output],
        ...(operation.inputParts ?? []).map((p): [string, ElementMeta] => ["input", p.element]),
        ...(operation.outputParts ?? []).map((p): [string, ElementMeta] => ["output", p.element]),
        ...(operation.inputHeaders ?? []).map((h): [string, ElementMeta] => ["input header", h]),
        ...(operation.outputHeaders ?? []).map((h): [string, ElementMeta] => ["output header", h]),
        ...(operation.faults ?? []).map((f): [string, ElementMeta] => ["fault detail", f.element]),
      ];
      for (const [direction, meta] of elements) {
        if (outcomes[key] !== "ok") break;
        if (meta === undefined) continue;
        const built = buildAndEncode(meta, globals);
        if (typeof built === "string") outcomes[key] = `${built} (${direction})`;
        else messages.push({ operation: key, direction, meta, ...built });
      }
    }
  }
  if (messages.length === 0) return outcomes;

  let verdicts: { errors: readonly string[] }[];
  try {
    verdicts = validateMessages(
      { wsdl, baseDir, ...(catalog === undefined ? {} : { catalog }) },
      messages.map((m, i) => ({ file: `${i}`, text: m.xml })),
    );
  } catch (error) {
    // libxml2 refuses to compile the contract's schemas (libxmljs2 keeps its reasons to itself):
    // no message can be judged. One cause is known and named.
    const reason = services.some(refersToXmlAttributesWithoutTheirSchema)
      ? "validation: libxml2 cannot compile the schemas: an xml: attribute where the XML namespace is imported without a location (libxml2 has no declaration of it)"
      : services.some(hasSchemaWithoutNamespace)
        ? "validation: libxml2 cannot compile the schemas: a schema without targetNamespace (validate.ts imports it; libxml2 wants xs:include)"
        : `validation: libxml2 cannot compile the schemas: ${(error as Error).message.split("\n")[0]!.slice(0, 80)}`;
    for (const m of messages) outcomes[m.operation] = reason;
    return outcomes;
  }
  messages.forEach((m, i) => {
    if (outcomes[m.operation] !== "ok") return;
    const errors = verdicts[i]!.errors;
    if (errors.length > 0) {
      outcomes[m.operation] = `${classifyValidation(errors[0]!)} (${m.direction})`;
      return;
    }
    const problem = decodeAndCompare(m);
    if (problem !== undefined) outcomes[m.operation] = `${problem} (${m.direction})`;
  });
  return outcomes;
}

const XML_NS = "http://www.w3.org/XML/1998/namespace";

/**
 * Whether a schema the service serves imports the XML namespace without a location and refers to
 * one of its attributes (`<xs:attribute ref="xml:lang"/>`): the generator knows those, libxml2
 * resolves the reference only through a schema document of that namespace (EWS types.xsd).
 */
function refersToXmlAttributesWithoutTheirSchema(service: ServiceMeta): boolean {
  const elements = (e: XmlElement): XmlElement[] => [e, ...e.children.flatMap((c) => (c.kind === "element" ? elements(c) : []))];
  return service.documents.some((d) => {
    const all = elements(parseXml(d.text).root).filter((e) => e.ns === XSD);
    const bare = all.some((e) => e.local === "import" && e.attributes.some((a) => a.local === "namespace" && a.value === XML_NS) && !e.attributes.some((a) => a.local === "schemaLocation"));
    return bare && all.some((e) => e.local === "attribute" && e.attributes.some((a) => a.ns === "" && a.local === "ref" && a.value.trim().startsWith("xml:")));
  });
}

/** Whether a document the service serves holds an `xs:schema` without a targetNamespace. */
function hasSchemaWithoutNamespace(service: ServiceMeta): boolean {
  const isSchema = (e: XmlElement) => e.ns === XSD && e.local === "schema";
  return service.documents.some((d) => {
    const root = parseXml(d.text).root;
    const schemas = isSchema(root) ? [root] : root.children.flatMap((c) => (c.kind === "element" && c.local === "types" ? c.children : [])).filter((c): c is XmlElement => c.kind === "element" && isSchema(c));
    return schemas.some((s) => !s.attributes.some((a) => a.ns === "" && a.local === "targetNamespace"));
  });
}

/** Builds a value for a Body element and encodes it; a string is the failure's category. */
function buildAndEncode(meta: ElementMeta, globals: readonly ElementMeta[]): { value: unknown; xml: string } | string {
  let value: unknown;
  try {
    value = new ValueBuilder(globals).element(meta);
  } catch (error) {
    if (error instanceof UnsatisfiableValue) return `builder: no value satisfies the ${error.reason}`;
    if (error instanceof UnknownDescriptor) return `builder: unknown ${error.message.replace(/ \(.*$/, "")}`;
    throw error;
  }
  try {
    return { value, xml: encodeElementToString(meta, value) };
  } catch (error) {
    if (error instanceof CodecError) return classifyCodec("encode", error.problem, error.detail);
    throw error;
  }
}

function decodeAndCompare(m: Message): string | undefined {
  let decoded: unknown;
  try {
    decoded = decodeElement(parseXml(m.xml).root, m.meta);
  } catch (error) {
    if (error instanceof CodecError) return classifyCodec("decode", error.problem, error.detail);
    throw error;
  }
  const d = difference(m.value, decoded);
  // The path and the values vary by contract; the kind of difference is the category.
  return d === undefined ? undefined : `round trip: ${d.replace(/^[^:]*: /, "").replace(/"(?:[^"\\]|\\.)*"/g, "…").replace(/\b\d+(\.\d+)?\b/g, "n")}`;
}
