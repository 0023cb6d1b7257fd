/**
 * Helpers for generator tests: run the generator over in-memory files and look at single
 * declarations of its output.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import {
  DiagnosticError,
  formatDiagnostic,
  generateContract,
  memoryHost,
  type ContractOptions,
  type ContractResult,
  type GeneratedFile,
} from "@mpay-kit/codegen";

/** The folder in-memory contracts live in; diagnostics show paths relative to it. */
export const VROOT = "/virtual";

/** The repository root and the shared folder beside it (test data that CI has). */
export const REPO = resolve(import.meta.dirname, "../..");
export const SHARED = resolve(REPO, "../shared");

/** A git-ignored folder inside the repository (so generated code resolves the workspace runtime). */
export const ARTIFACTS = resolve(REPO, "test-artifacts/generator");

export type Files = Readonly<Record<string, string>>;

/** Writes generated files to their paths (the folders made as needed). */
export function writeGenerated(files: readonly GeneratedFile[]): void {
  for (const f of files) {
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.contents);
  }
}

/**
 * Generates `wsdlFile` of `fixtures/<name>` as package `name` into `ARTIFACTS/<name>`, written
 * afresh, and returns what was generated.
 */
export async function generateFixture(name: string, wsdlFile: string): Promise<ContractResult> {
  const out = join(ARTIFACTS, name);
  rmSync(out, { recursive: true, force: true });
  const baseDir = join(import.meta.dirname, "fixtures", name);
  const result = await generateContract({ wsdl: wsdlFile, out: relative(baseDir, out), package: name }, { baseDir });
  writeGenerated(result.files);
  return result;
}

/** What the repository's tsc prints for these arguments: "" when everything type-checks. */
export function tscOutput(args: readonly string[]): string {
  try {
    execFileSync(resolve(REPO, "node_modules/.bin/tsc"), args, { cwd: REPO, encoding: "utf8", stdio: "pipe" });
    return "";
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error);
  }
}

/** tsc arguments that check one file alone, as strictly as generated packages are checked. */
export function strictFileArgs(file: string): string[] {
  return ["--ignoreConfig", "--noEmit", "--strict", "--exactOptionalPropertyTypes", "--allowImportingTsExtensions", "--module", "nodenext", "--target", "es2022", "--skipLibCheck", "--types", "", file];
}

function host(files: Files) {
  return memoryHost(Object.fromEntries(Object.entries(files).map(([name, text]) => [resolve(VROOT, name), text])));
}

const defaults: ContractOptions = { wsdl: "main.wsdl", out: "out/pkg", package: "@test/pkg" };

/** Generates from in-memory files; returns the package files by path inside the package. */
export async function run(files: Files, contract: Partial<ContractOptions> = {}): Promise<{ files: Record<string, string>; result: ContractResult }> {
  const result = await generateContract({ ...defaults, ...contract }, { baseDir: VROOT, host: host(files) });
  return { files: Object.fromEntries(result.files.map((f) => [f.file, f.contents])), result };
}

/** Runs and expects failure; returns the formatted diagnostics (errors and warnings), sorted. */
export async function diagnostics(files: Files, contract: Partial<ContractOptions> = {}): Promise<string[]> {
  try {
    await generateContract({ ...defaults, ...contract }, { baseDir: VROOT, host: host(files) });
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics.map(formatDiagnostic);
    throw e;
  }
  throw new Error("expected generation to fail");
}

/** Runs and expects success; returns the warnings. */
export async function warnings(files: Files, contract: Partial<ContractOptions> = {}): Promise<string[]> {
  const { result } = await run(files, contract);
  return result.warnings.map(formatDiagnostic);
}

/**
 * One declaration of a generated file, with its doc comment: the blank-line-separated chunk
 * that declares `name` (`export interface X`, `export type X`, `export const X`, `const X`).
 */
export function declaration(text: string, name: string): string {
  const pattern = new RegExp(`^(?:export )?(?:interface|type|const|function|class) ${name.replace(/\$/g, "\\$")}\\b`, "m");
  const chunk = text.split("\n\n").find((c) => pattern.test(c));
  if (chunk === undefined) throw new Error(`no declaration of ${name} in:\n${text}`);
  return chunk.trimEnd();
}

/** Top-level names declared in a file, in order. */
export function declaredNames(text: string): string[] {
  return [...text.matchAll(/^(?:export )?(?:interface|type|const|function|class) ([\p{ID_Continue}$]+)/gmu)].map((m) => m[1]!);
}

/** Lines joined: for readable expected blocks. */
export const lines = (...l: string[]) => l.join("\n");

export interface WsdlOptions {
  readonly tns?: string;
  readonly schemaAttributes?: string;
  /** Extra namespace declarations on wsdl:definitions. */
  readonly xmlns?: string;
  /** The wsdl:types content; default: one inline schema holding `schema`. */
  readonly types?: string;
}

/**
 * A WSDL with one document/literal SOAP 1.1 operation `Op` (Body elements `tns:Op` and
 * `tns:OpResponse`), whose inline schema (namespace `urn:test`, qualified) holds `schema`.
 */
export function wsdl(schema: string, options: WsdlOptions = {}): string {
  const tns = options.tns ?? "urn:test";
  const types =
    options.types ??
    `<xs:schema targetNamespace="${tns}" elementFormDefault="qualified"${options.schemaAttributes ?? ""}>
${schema}
    </xs:schema>`;
  return `<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="${tns}"${options.xmlns ?? ""} targetNamespace="${tns}" name="Test">
  <wsdl:types>
    ${types}
  </wsdl:types>
  <wsdl:message name="OpIn"><wsdl:part name="parameters" element="tns:Op"/></wsdl:message>
  <wsdl:message name="OpOut"><wsdl:part name="parameters" element="tns:OpResponse"/></wsdl:message>
  <wsdl:portType name="IPort">
    <wsdl:operation name="Op"><wsdl:input message="tns:OpIn"/><wsdl:output message="tns:OpOut"/></wsdl:operation>
  </wsdl:portType>
  <wsdl:binding name="Binding" type="tns:IPort">
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="Op">
      <soap:operation soapAction="${tns}/Op" style="document"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input>
      <wsdl:output><soap:body use="literal"/></wsdl:output>
    </wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="Svc">
    <wsdl:port name="Port" binding="tns:Binding"><soap:address location="http://localhost/svc"/></wsdl:port>
  </wsdl:service>
</wsdl:definitions>
`;
}

/** `Op` takes one element `value` of type `type`; `OpResponse` is empty. */
export function opTaking(type: string, attributes = ""): string {
  return `      <xs:element name="Op"><xs:complexType><xs:sequence><xs:element name="value" type="${type}"${attributes}/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="OpResponse"><xs:complexType/></xs:element>`;
}
