/**
 * Whole contracts → packages that compile: the repository's MPay contract (and its committed
 * output being up to date), MPay's 2014 WCF WSDL through a catalog, the interop harness's WSDL,
 * and the name-clash contract. Packages are written under `test-artifacts/generator/` (git-ignored,
 * inside the repository so that `@mpay-kit/runtime` resolves to the workspace) and checked with
 * the repository's `tsc` using the package's own tsconfig.
 */
import { afterAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { DiagnosticError, formatDiagnostic, generateContract, parseConfig, type ContractOptions } from "@mpay-kit/codegen";
import { ARTIFACTS, REPO, SHARED } from "./helpers.ts";

const tsc = join(REPO, "node_modules/.bin/tsc");
const haveShared = existsSync(join(SHARED, "mpay/reference-wsdl/deeplace-2014/mpay-server.wsdl"));
if (!haveShared) console.warn(`generator tests on shared WSDLs skipped: ${SHARED} is absent (it is present in this project's CI)`);

const written: string[] = [];
afterAll(() => {
  for (const dir of written) rmSync(dir, { recursive: true, force: true });
});

/** Generates a contract (paths relative to `baseDir`) into `test-artifacts/generator/<name>`. */
async function generateInto(name: string, contract: Omit<ContractOptions, "out">, baseDir: string) {
  const out = join(ARTIFACTS, name);
  rmSync(out, { recursive: true, force: true });
  written.push(out);
  const result = await generateContract({ ...contract, out: relative(baseDir, out) }, { baseDir });
  for (const f of result.files) {
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.contents);
  }
  return { out, result };
}

function typeCheck(dir: string, emit = false): void {
  try {
    execFileSync(tsc, emit ? ["-p", dir] : ["--noEmit", "-p", dir], { cwd: REPO, encoding: "utf8", stdio: "pipe" });
  } catch (e) {
    const { stdout, stderr } = e as { stdout: string; stderr: string };
    throw new Error(`tsc -p ${relative(REPO, dir)} failed:\n${stdout}${stderr}`);
  }
}

describe("the repository's MPay contract", async () => {
  const configPath = join(REPO, "wsdl/codegen.json");
  const [mpay] = parseConfig(readFileSync(configPath, "utf8"));

  it("generated/ is up to date (npm run generate -- --check)", async () => {
    const result = await generateContract(mpay!, { baseDir: dirname(configPath) });
    const stale = result.files.filter((f) => !existsSync(f.path) || readFileSync(f.path, "utf8") !== f.contents).map((f) => relative(REPO, f.path));
    expect(stale, "run npm run generate").toEqual([]);
    expect(result.types).toBe(20);
    expect(result.operations).toBe(2);
  });

  it("builds with tsc -p into dist", { timeout: 120_000 }, async () => {
    const { faults, ...rest } = mpay!;
    const { out } = await generateInto("mpay-service-provider", { ...rest, ...(faults === undefined ? {} : { faults }) }, dirname(configPath));
    typeCheck(out, true);
    expect(existsSync(join(out, "dist/index.js"))).toBe(true);
    expect(readFileSync(join(out, "dist/index.js"), "utf8")).toContain('export * from "./client.js";');
    expect(existsSync(join(out, "dist/index.d.ts"))).toBe(true);
    rmSync(join(out, "dist"), { recursive: true });
  });
});

describe.skipIf(!haveShared)("shared WSDLs", () => {
  it("MPay's 2014 WCF WSDL, its absolute http imports mapped by a catalog, generates a package that type-checks", { timeout: 120_000 }, async () => {
    const catalogDir = join(ARTIFACTS, "catalog-2014");
    mkdirSync(catalogDir, { recursive: true });
    written.push(catalogDir);
    const catalog = join(catalogDir, "catalog.json");
    writeFileSync(
      catalog,
      JSON.stringify({
        rewrite: [
          {
            prefix: "http://webinfo.cis.gov.md/sites/all/modules/deeplace/mpay_integration/soap/",
            to: `${relative(catalogDir, join(SHARED, "mpay/reference-wsdl/deeplace-2014"))}/`,
          },
        ],
      }),
    );
    const { out, result } = await generateInto(
      "mpay-2014",
      { wsdl: join(SHARED, "mpay/reference-wsdl/deeplace-2014/mpay-server.wsdl"), package: "@test/mpay-2014", catalog },
      REPO,
    );
    expect(result.files.map((f) => f.file)).toContain("src/documents.ts");
    const types = readFileSync(join(out, "src/types.ts"), "utf8");
    expect(types).toContain("  GetOrderDetailsResult?: (OrderDetails | null)[] | null;");
    expect(types).toContain("  DestinationAccount?: string | null;");
    expect(readFileSync(join(out, "src/documents.ts"), "utf8")).toContain('key: "xsd=mpay-server1.xsd"');
    typeCheck(out);
  });

  it("the interop harness's hand-written WSDL generates a package that type-checks", { timeout: 120_000 }, async () => {
    const { out, result } = await generateInto("selftest", { wsdl: join(SHARED, "harness/selftest/ServiceProvider.wsdl"), package: "@test/selftest" }, REPO);
    expect(result.operations).toBe(2);
    typeCheck(out);
  });
});

describe.skipIf(!haveShared)("the shared WSDL corpus (252 real-world contracts from other SOAP tools' tests)", () => {
  it("never crashes: each contract generates, or fails with located diagnostics; what generates type-checks", { timeout: 300_000 }, async () => {
    const corpus = join(SHARED, "wsdl-corpus");
    const manifest = JSON.parse(readFileSync(join(corpus, "manifest.json"), "utf8")) as {
      sources: { dir: string; entries: { path: string; duplicate_of: string | null }[] }[];
    };
    const entries = manifest.sources.flatMap((s) => s.entries.filter((e) => e.duplicate_of === null).map((e) => join(corpus, s.dir, e.path)));
    const root = join(ARTIFACTS, "corpus");
    rmSync(root, { recursive: true, force: true });
    written.push(root);
    let generated = 0;
    for (const wsdl of entries) {
      try {
        const { files } = await generateContract({ wsdl, out: join(root, `p${generated}`), package: "@test/corpus" }, { baseDir: dirname(wsdl) });
        for (const f of files) {
          mkdirSync(dirname(f.path), { recursive: true });
          writeFileSync(f.path, f.contents);
        }
        generated++;
      } catch (e) {
        if (!(e instanceof DiagnosticError)) throw new Error(`${relative(corpus, wsdl)}: ${(e as Error).stack}`);
        const errors = e.diagnostics.filter((d) => d.severity === "error");
        expect(errors.length, relative(corpus, wsdl)).toBeGreaterThan(0);
        for (const d of errors) expect(formatDiagnostic(d)).toMatch(/^[^:\s][^:]*(:\d+:\d+)?: \S/);
      }
    }
    expect(generated).toBeGreaterThanOrEqual(53);
    const options = JSON.parse(readFileSync(join(root, "p0/tsconfig.json"), "utf8").replace(/^\/\/.*\n/, "")).compilerOptions;
    writeFileSync(join(root, "tsconfig.json"), JSON.stringify({ compilerOptions: { ...options, rootDir: ".", noEmit: true }, include: ["*/src"] }));
    typeCheck(root);
  });
});

describe("the name-clash contract compiles", () => {
  it("with every renamed identifier", { timeout: 120_000 }, async () => {
    const dir = join(ARTIFACTS, "name-clash-input");
    mkdirSync(dir, { recursive: true });
    written.push(dir);
    writeFileSync(
      join(dir, "main.wsdl"),
      `<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:clash" targetNamespace="urn:clash">
  <wsdl:types>
    <xs:schema targetNamespace="urn:clash" elementFormDefault="qualified">
      <xs:element name="delete"><xs:complexType><xs:sequence>
        <xs:element name="constructor" type="tns:Promise"/><xs:element name="toString" type="tns:Decimal"/><xs:element name="__proto__x" type="tns:element"/>
        <xs:element name="first-name" type="tns:operations"/><xs:element name="Service" type="tns:ServiceClient"/>
      </xs:sequence></xs:complexType></xs:element>
      <xs:element name="new"><xs:complexType/></xs:element>
      <xs:complexType name="Promise"><xs:sequence><xs:element name="then" type="xs:string"/></xs:sequence></xs:complexType>
      <xs:simpleType name="Decimal"><xs:restriction base="xs:decimal"/></xs:simpleType>
      <xs:complexType name="element"/>
      <xs:complexType name="operations"/>
      <xs:complexType name="ServiceClient"/>
    </xs:schema>
  </wsdl:types>
  <wsdl:message name="In"><wsdl:part name="p" element="tns:delete"/></wsdl:message>
  <wsdl:message name="Out"><wsdl:part name="p" element="tns:new"/></wsdl:message>
  <wsdl:portType name="P"><wsdl:operation name="constructor"><wsdl:input message="tns:In"/><wsdl:output message="tns:Out"/></wsdl:operation>
    <wsdl:operation name="my-op"><wsdl:input message="tns:In"/><wsdl:output message="tns:Out"/></wsdl:operation></wsdl:portType>
  <wsdl:binding name="B" type="tns:P"><soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="constructor"><soap:operation soapAction="a"/><wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>
    <wsdl:operation name="my-op"><soap:operation soapAction="b"/><wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="Service"><wsdl:port name="X" binding="tns:B"><soap:address location="http://x/"/></wsdl:port></wsdl:service>
</wsdl:definitions>`,
    );
    const { out } = await generateInto("name-clash", { wsdl: "main.wsdl", package: "@test/name-clash", faults: { codes: ["fault", "isFault"] } }, dir);
    const client = readFileSync(join(out, "src/client.ts"), "utf8");
    expect(client).toContain('async ["constructor"](input: delete_, options?: CallOptions): Promise<new_> {');
    expect(client).toContain('async ["my-op"](input: delete_, options?: CallOptions): Promise<new_> {');
    expect(readFileSync(join(out, "src/types.ts"), "utf8")).toContain('  "first-name": operations_2;');
    typeCheck(out);
  });
});
