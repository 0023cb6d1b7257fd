/**
 * WS-Policy → the security requirements in the contract model and in the emitted descriptors:
 * MPay's WCF policy (our contract and the 2014 WSDL through a catalog), the corpus WSDLs that
 * carry WS-Policy, both namespace versions of WS-Policy and WS-SecurityPolicy, references by
 * id and by Name, alternatives, assertions the generator cannot honour, and a WSDL without
 * policy (no `security` anywhere).
 */
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { memoryHost, nodeFileHost, type FileHost } from "@mpay-kit/codegen";
import type { SecurityPolicy } from "@mpay-kit/runtime/codegen/v1";
import { Diagnostics, formatDiagnostic, sortDiagnostics } from "../../generator/src/diagnostics.ts";
import { buildModel } from "../../generator/src/emit/build.ts";
import type { ContractModel } from "../../generator/src/emit/model.ts";
import { loadContract, type LoadedContract } from "../../generator/src/load/load.ts";
import type { ContractIR, PolicyExpression, Ref, RefTarget } from "../../generator/src/ir/model.ts";
import { PolicyReader } from "../../generator/src/ir/policy.ts";
import { ComponentIndex, resolveRefs } from "../../generator/src/ir/resolve.ts";
import { parseDefinitions } from "../../generator/src/parse/wsdl.ts";
import { parseSchemas } from "../../generator/src/parse/xsd.ts";
import { ServiceProviderService } from "../../generated/mpay-service-provider/src/meta.ts";
import { declaration, diagnostics, lines, REPO, run, SHARED, VROOT, type Files } from "./helpers.ts";

// ---------------------------------------------------------------------------------------------
// Running the pipeline up to the contract model

interface Parsed {
  readonly loaded: LoadedContract;
  readonly ir: ContractIR;
  readonly diagnostics: Diagnostics;
}

/** Load, parse and resolve, as `generateContract` does. */
function parse(wsdl: string, host: FileHost, baseDir: string, catalog?: string): Parsed {
  const d = new Diagnostics();
  const loaded = loadContract({ wsdl, baseDir, host, ...(catalog === undefined ? {} : { catalog }) }, d);
  if (loaded === undefined) throw new Error(render(d).join("\n"));
  const refs: Ref<keyof RefTarget>[] = [];
  const ir: ContractIR = { schemas: parseSchemas(loaded, d, refs), definitions: parseDefinitions(loaded, d, refs) };
  resolveRefs(refs, new ComponentIndex(ir, d), d);
  return { loaded, ir, diagnostics: d };
}

function render(d: Diagnostics): string[] {
  return sortDiagnostics(d.list).map(formatDiagnostic);
}

/** The contract model of a WSDL and every diagnostic (errors and warnings), formatted. */
function model(wsdl: string, host: FileHost, baseDir: string, catalog?: string): { model: ContractModel | undefined; diagnostics: string[] } {
  const { loaded, ir, diagnostics: d } = parse(wsdl, host, baseDir, catalog);
  const options = { wsdlPath: "main.wsdl", packageName: "@test/pkg", faults: undefined, service: undefined, port: undefined, timeZone: undefined };
  const m = d.hasErrors() ? undefined : buildModel(ir, loaded, d, options);
  return { model: m, diagnostics: render(d) };
}

function memoryModel(files: Files) {
  const host = memoryHost(Object.fromEntries(Object.entries(files).map(([name, text]) => [resolve(VROOT, name), text])));
  return model(resolve(VROOT, "main.wsdl"), host, VROOT);
}

/** The security of the service and of each operation's requests and responses, as the runtime will see them. */
function security(m: ContractModel | undefined) {
  if (m === undefined) throw new Error("no model");
  return {
    service: m.service.security,
    operations: Object.fromEntries(m.operations.map((o) => [o.name, { input: o.inputSecurity, output: o.outputSecurity }])),
  };
}

// ---------------------------------------------------------------------------------------------
// Contracts

const WSP12 = "http://schemas.xmlsoap.org/ws/2004/09/policy";
const WSP15 = "http://www.w3.org/ns/ws-policy";
const SP11 = "http://schemas.xmlsoap.org/ws/2005/07/securitypolicy";
const SP12 = "http://docs.oasis-open.org/ws-sx/ws-securitypolicy/200702";
const WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";

interface Slots {
  /** Namespaces bound to `wsp` and `sp` on wsdl:definitions. */
  readonly wsp?: string;
  readonly sp?: string;
  /** Children of wsdl:definitions before wsdl:types (policies with ids). */
  readonly top?: string;
  readonly port?: string;
  readonly portTypeAttributes?: string;
  readonly binding?: string;
  readonly operation?: string;
  readonly input?: string;
  readonly output?: string;
  readonly imports?: string;
}

/** One document/literal operation `Op`, with policy in the given places. */
function contract(s: Slots = {}): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:test" xmlns:wsu="${WSU}"
    xmlns:wsp="${s.wsp ?? WSP12}" xmlns:sp="${s.sp ?? SP11}" targetNamespace="urn:test" name="Test">
${s.imports ?? ""}
${s.top ?? ""}
  <wsdl:types>
    <xs:schema targetNamespace="urn:test" elementFormDefault="qualified">
      <xs:element name="Op"><xs:complexType><xs:sequence><xs:element name="value" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="OpResponse"><xs:complexType/></xs:element>
    </xs:schema>
  </wsdl:types>
  <wsdl:message name="OpIn"><wsdl:part name="parameters" element="tns:Op"/></wsdl:message>
  <wsdl:message name="OpOut"><wsdl:part name="parameters" element="tns:OpResponse"/></wsdl:message>
  <wsdl:portType name="IPort"${s.portTypeAttributes ?? ""}>
    <wsdl:operation name="Op"><wsdl:input message="tns:OpIn"/><wsdl:output message="tns:OpOut"/></wsdl:operation>
  </wsdl:portType>
  <wsdl:binding name="Binding" type="tns:IPort">
    ${s.binding ?? ""}
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="Op">
      ${s.operation ?? ""}
      <soap:operation soapAction="urn:test/Op" style="document"/>
      <wsdl:input>${s.input ?? ""}<soap:body use="literal"/></wsdl:input>
      <wsdl:output>${s.output ?? ""}<soap:body use="literal"/></wsdl:output>
    </wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="Svc">
    <wsdl:port name="Port" binding="tns:Binding">${s.port ?? ""}<soap:address location="http://localhost/svc"/></wsdl:port>
  </wsdl:service>
</wsdl:definitions>
`;
}

interface AsymmetricOptions {
  /** The WS-SecurityPolicy namespace whose IncludeToken URIs to write. */
  readonly sp?: string;
  readonly initiator?: string | undefined;
  readonly recipient?: string | undefined;
  readonly suite?: string;
  readonly layout?: string | undefined;
  readonly extra?: string;
}

/** `sp:AsymmetricBinding` with X.509 tokens; `undefined` options leave the attribute or assertion out. */
function asymmetric(o: AsymmetricOptions = {}): string {
  const sp = o.sp ?? SP11;
  const token = (inclusion: string | undefined) =>
    `<wsp:Policy><sp:X509Token${inclusion === undefined ? "" : ` sp:IncludeToken="${sp}/IncludeToken/${inclusion}"`}><wsp:Policy><sp:WssX509V3Token10/></wsp:Policy></sp:X509Token></wsp:Policy>`;
  const initiator = "initiator" in o ? o.initiator : "AlwaysToRecipient";
  const recipient = "recipient" in o ? o.recipient : "Never";
  const layout = "layout" in o ? o.layout : "Lax";
  return `<sp:AsymmetricBinding><wsp:Policy>
      <sp:InitiatorToken>${token(initiator)}</sp:InitiatorToken>
      <sp:RecipientToken>${token(recipient)}</sp:RecipientToken>
      <sp:AlgorithmSuite><wsp:Policy><sp:${o.suite ?? "Basic256"}/></wsp:Policy></sp:AlgorithmSuite>
      ${layout === undefined ? "" : `<sp:Layout><wsp:Policy><sp:${layout}/></wsp:Policy></sp:Layout>`}
      ${o.extra ?? "<sp:IncludeTimestamp/><sp:OnlySignEntireHeadersAndBody/>"}
    </wsp:Policy></sp:AsymmetricBinding>`;
}

/** A policy with an id, in WCF's normal form. */
function policy(id: string, ...assertions: string[]): string {
  return `<wsp:Policy wsu:Id="${id}"><wsp:ExactlyOne><wsp:All>${assertions.join("")}</wsp:All></wsp:ExactlyOne></wsp:Policy>`;
}

const ref = (id: string) => `<wsp:PolicyReference URI="#${id}"/>`;
const signedBody = "<sp:SignedParts><sp:Body/></sp:SignedParts>";

/** MPay's WCF policy: the binding's. */
const MPAY_PORT: SecurityPolicy = {
  binding: "asymmetric",
  initiatorToken: "alwaysToRecipient",
  recipientToken: "never",
  algorithmSuite: "Basic256",
  signature: "rsa-sha1",
  layout: "lax",
  includeTimestamp: true,
  onlySignEntireHeadersAndBody: true,
  signedParts: { body: false, headers: [] },
};
/** MPay's WCF policy for every request and response: the binding's with the Body signed. */
const MPAY_MESSAGE: SecurityPolicy = { ...MPAY_PORT, signedParts: { body: true, headers: [] } };

const MPAY_OPERATIONS = {
  GetOrderDetails: { input: MPAY_MESSAGE, output: MPAY_MESSAGE },
  ConfirmOrderPayment: { input: MPAY_MESSAGE, output: MPAY_MESSAGE },
};

// ---------------------------------------------------------------------------------------------

describe("MPay's WCF policy", () => {
  it("our contract: the binding's policy for the port, the Body signed in every request and response, no diagnostics", () => {
    const wsdl = join(REPO, "wsdl/mpay/ServiceProvider.wsdl");
    const { model: m, diagnostics: d } = model(wsdl, nodeFileHost, dirname(wsdl));
    expect(d).toEqual([]);
    expect(security(m)).toEqual({ service: MPAY_PORT, operations: MPAY_OPERATIONS });
    expect(m!.security.map((c) => c.name)).toEqual(["portSecurity", "messageSecurity"]);
  });

  it("the committed package's descriptors carry it", () => {
    expect(ServiceProviderService.security).toEqual(MPAY_PORT);
    for (const op of Object.values(ServiceProviderService.operations)) {
      expect(op.inputSecurity).toEqual(MPAY_MESSAGE);
      expect(op.outputSecurity).toEqual(MPAY_MESSAGE);
    }
    // One object per distinct policy.
    expect(ServiceProviderService.operations.GetOrderDetails.inputSecurity).toBe(ServiceProviderService.operations.ConfirmOrderPayment.outputSecurity);
  });

  const reference = join(SHARED, "mpay/reference-wsdl/deeplace-2014");
  it.skipIf(!existsSync(reference))("the 2014 WCF WSDL, its imports mapped by a catalog, gives the same model (sp declared on each assertion)", () => {
    const catalog = "/virtual-catalog/catalog.json";
    const host: FileHost = {
      readFile: (path) =>
        path === catalog
          ? JSON.stringify({ rewrite: [{ prefix: "http://webinfo.cis.gov.md/sites/all/modules/deeplace/mpay_integration/soap/", to: `${reference}/` }] })
          : nodeFileHost.readFile(path),
    };
    const { model: m, diagnostics: d } = model(join(reference, "mpay-server.wsdl"), host, reference, catalog);
    expect(d).toEqual([]);
    expect(security(m)).toEqual({ service: MPAY_PORT, operations: MPAY_OPERATIONS });
  });
});

describe("where policy is attached, and references", () => {
  it("a WSDL without policy has no security anywhere, and its meta.ts none either", async () => {
    const given = { "main.wsdl": contract() };
    const { model: m, diagnostics: d } = memoryModel(given);
    expect(d).toEqual([]);
    expect(security(m)).toEqual({ service: undefined, operations: { Op: { input: undefined, output: undefined } } });
    expect(m!.security).toEqual([]);
    const { files } = await run(given);
    expect(files["src/meta.ts"]).not.toMatch(/[Ss]ecurity/);
  });

  it("WS-Policy 1.5 and WS-SecurityPolicy 1.2, inline on the binding and the input, give the 1.2 inclusion values", () => {
    const { model: m, diagnostics: d } = memoryModel({
      "main.wsdl": contract({
        wsp: WSP15,
        sp: SP12,
        binding: `<wsp:Policy>${asymmetric({ sp: SP12, initiator: "AlwaysToRecipient", recipient: "AlwaysToInitiator", suite: "Basic256Sha256", layout: "Strict", extra: "<sp:IncludeTimestamp/>" })}</wsp:Policy>`,
        input: `<wsp:Policy><sp:SignedParts><sp:Body/><sp:Header Name="To" Namespace="http://www.w3.org/2005/08/addressing"/><sp:Header Namespace="urn:headers"/></sp:SignedParts></wsp:Policy>`,
      }),
    });
    expect(d).toEqual([]);
    const port: SecurityPolicy = {
      binding: "asymmetric",
      initiatorToken: "alwaysToRecipient",
      recipientToken: "alwaysToInitiator",
      algorithmSuite: "Basic256Sha256",
      signature: "rsa-sha256",
      layout: "strict",
      includeTimestamp: true,
      onlySignEntireHeadersAndBody: false,
      signedParts: { body: false, headers: [] },
    };
    expect(security(m)).toEqual({
      service: port,
      operations: {
        Op: {
          input: { ...port, signedParts: { body: true, headers: [{ ns: "http://www.w3.org/2005/08/addressing", local: "To" }, { ns: "urn:headers" }] } },
          output: undefined,
        },
      },
    });
  });

  it("no sp:IncludeToken means Always, no sp:Layout means lax, Once and Always both read", () => {
    const { model: m } = memoryModel({
      "main.wsdl": contract({ top: policy("p", asymmetric({ initiator: undefined, recipient: "Once", layout: undefined, extra: "" })), binding: ref("p") }),
    });
    expect(m!.service.security).toEqual({
      ...MPAY_PORT,
      initiatorToken: "always",
      recipientToken: "once",
      layout: "lax",
      includeTimestamp: false,
      onlySignEntireHeadersAndBody: false,
    });
  });

  it("WCF's 2005/07 IncludeToken URIs are read in a WS-SecurityPolicy 1.2 assertion too", () => {
    const { model: m, diagnostics: d } = memoryModel({
      "main.wsdl": contract({ sp: SP12, binding: `<wsp:Policy>${asymmetric({ sp: SP11 })}</wsp:Policy>` }),
    });
    expect(d).toEqual([]);
    expect(m!.service.security).toEqual(MPAY_PORT);
  });

  it("references by wsu:Id, xml:id and Name, wsp:PolicyURIs on the portType, policy on the port and the binding operation", () => {
    const { model: m, diagnostics: d } = memoryModel({
      "main.wsdl": contract({
        top: [
          `<wsp:Policy Name="urn:policies:binding">${asymmetric({ extra: "" })}</wsp:Policy>`,
          `<wsp:Policy xml:id="all-headers"><sp:SignedParts><sp:Header Namespace="urn:all"/></sp:SignedParts></wsp:Policy>`,
          policy("body", signedBody),
          policy("trace", '<sp:SignedParts><sp:Header Name="Trace" Namespace="urn:trace"/></sp:SignedParts>'),
        ].join("\n"),
        port: '<wsp:PolicyReference URI="urn:policies:binding"/>',
        portTypeAttributes: ' wsp:PolicyURIs="#all-headers"',
        operation: ref("body"),
        output: ref("trace"),
      }),
    });
    expect(d).toEqual([]);
    const port = { ...MPAY_PORT, includeTimestamp: false, onlySignEntireHeadersAndBody: false };
    expect(security(m)).toEqual({
      service: { ...port, signedParts: { body: false, headers: [{ ns: "urn:all" }] } },
      operations: {
        Op: {
          input: { ...port, signedParts: { body: true, headers: [{ ns: "urn:all" }] } },
          output: { ...port, signedParts: { body: true, headers: [{ ns: "urn:all" }, { ns: "urn:trace", local: "Trace" }] } },
        },
      },
    });
  });

  it("a reference into an imported WSDL (other.wsdl#id)", () => {
    const { model: m, diagnostics: d } = memoryModel({
      "main.wsdl": contract({ imports: '<wsdl:import namespace="urn:policies" location="policies/other.wsdl"/>', binding: '<wsp:PolicyReference URI="policies/other.wsdl#shared"/>' }),
      "policies/other.wsdl": `<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:wsp="${WSP12}" xmlns:wsu="${WSU}" xmlns:sp="${SP11}" targetNamespace="urn:policies">
  ${policy("shared", asymmetric())}
</wsdl:definitions>`,
    });
    expect(d).toEqual([]);
    expect(m!.service.security).toEqual(MPAY_PORT);
  });

  it("an unresolvable reference is an error naming it, with the ids that exist", async () => {
    expect(await diagnostics({ "main.wsdl": contract({ top: policy("BasicHttpBinding_policy", asymmetric()), binding: ref("BasicHttpBinding_Policy") }) })).toEqual([
      expect.stringMatching(
        /^main\.wsdl:\d+:\d+: no policy #BasicHttpBinding_Policy: no wsp:Policy in the contract's documents has that wsu:Id; policies with an id in that document: BasicHttpBinding_policy$/,
      ),
    ]);
    expect(await diagnostics({ "main.wsdl": contract({ binding: '<wsp:PolicyReference URI="http://example.org/policies.xml#p"/>' }) })).toEqual([
      expect.stringMatching(/no policy http:\/\/example\.org\/policies\.xml#p: .*; a reference names a wsp:Policy of a loaded document by its wsu:Id \(URI="#id"\) or by its Name; policy files outside the contract are not loaded$/),
    ]);
    expect(await diagnostics({ "main.wsdl": contract({ binding: '<wsp:PolicyReference URI="bad%zz.wsdl#p"/>' }) })).toEqual([expect.stringMatching(/: no policy bad%zz\.wsdl#p: /)]);
  });

  it("a policy that includes itself is an error, not a hang", async () => {
    expect(await diagnostics({ "main.wsdl": contract({ top: `<wsp:Policy wsu:Id="a">${ref("b")}</wsp:Policy><wsp:Policy wsu:Id="b"><wsp:All>${ref("a")}</wsp:All></wsp:Policy>`, binding: ref("a") }) })).toEqual([
      expect.stringMatching(/: policy reference #a refers to a policy that contains it; the chain is a → b → a$/),
    ]);
  });

  it("two policies with one id make a reference to it ambiguous", async () => {
    expect(await diagnostics({ "main.wsdl": contract({ top: policy("p", asymmetric()) + policy("p", signedBody), binding: ref("p") }) })).toEqual([
      expect.stringMatching(/: policy reference #p is ambiguous: 2 policies have that id; main\.wsdl:\d+:\d+, main\.wsdl:\d+:\d+$/),
    ]);
  });

  it("wsp:UsingPolicy wsdl:required=\"true\" is understood", async () => {
    const { result } = await run({ "main.wsdl": contract({ top: '<wsp:UsingPolicy wsdl:required="true"/>' }) });
    expect(result.warnings).toEqual([]);
  });

  it("only the generated port's policy is read: a broken policy on another binding changes nothing", async () => {
    const text = contract({ top: policy("p", "<sp:SymmetricBinding/>") }).replace(
      "<wsdl:service",
      `<wsdl:binding name="Other" type="tns:IPort">${ref("missing")}${ref("p")}<soap:binding transport="http://schemas.xmlsoap.org/soap/http"/></wsdl:binding>
  <wsdl:service`,
    );
    const { result } = await run({ "main.wsdl": text });
    expect(result.warnings).toEqual([]);
  });
});

describe("alternatives", () => {
  it("the first fully supported alternative is used, and a warning names the one skipped", () => {
    const { model: m, diagnostics: d } = memoryModel({
      "main.wsdl": contract({
        top: `<wsp:Policy wsu:Id="p"><wsp:ExactlyOne>
  <wsp:All><sp:SymmetricBinding><wsp:Policy/></sp:SymmetricBinding></wsp:All>
  <wsp:All>${asymmetric()}</wsp:All>
</wsp:ExactlyOne></wsp:Policy>`,
        binding: ref("p"),
      }),
    });
    expect(d).toEqual([
      expect.stringMatching(
        /^main\.wsdl:\d+:\d+: warning: policy #p has 2 alternatives; the 2nd is used, the first one whose assertions are all supported; the 1st: sp:SymmetricBinding is not supported; only sp:AsymmetricBinding \(each side signs with its own X\.509 key\) is \(line 7\)$/,
      ),
    ]);
    expect(m!.service.security).toEqual(MPAY_PORT);
  });

  it("when the first is supported it is used, with a warning that the others are not", () => {
    const { model: m, diagnostics: d } = memoryModel({
      "main.wsdl": contract({ binding: `<wsp:Policy><wsp:ExactlyOne>${asymmetric({ suite: "Basic256Sha256" })}${asymmetric()}</wsp:ExactlyOne></wsp:Policy>` }),
    });
    expect(d).toEqual([expect.stringMatching(/warning: the policy has 2 alternatives; the 1st is used, .*; a peer that uses another alternative will not be understood$/)]);
    expect(m!.service.security).toEqual({ ...MPAY_PORT, algorithmSuite: "Basic256Sha256", signature: "rsa-sha256" });
  });

  it("alternatives nested in an assertion multiply out (normal form), and wsp:Optional is a choice with nothing", () => {
    const suites = "<sp:AlgorithmSuite><wsp:Policy><wsp:ExactlyOne><sp:Basic128Rsa15/><sp:TripleDesSha256/></wsp:ExactlyOne></wsp:Policy></sp:AlgorithmSuite>";
    const { model: m, diagnostics: d } = memoryModel({
      "main.wsdl": contract({
        binding: `<wsp:Policy>${asymmetric({ extra: "" }).replace(/<sp:AlgorithmSuite>.*?<\/sp:AlgorithmSuite>/s, suites)}<wsoma:OptimizedMimeSerialization xmlns:wsoma="http://schemas.xmlsoap.org/ws/2004/09/policy/optimizedmimeserialization" wsp:Optional="true"/></wsp:Policy>`,
      }),
    });
    // (Basic128Rsa15 | TripleDesSha256) × (MTOM | nothing): the 2nd, Basic128Rsa15 without MTOM, is the first supported.
    expect(d).toEqual([
      expect.stringMatching(
        /warning: the policy has 4 alternatives; the 2nd is used, the first one whose assertions are all supported; the 1st: policy assertion \{http:\/\/schemas\.xmlsoap\.org\/ws\/2004\/09\/policy\/optimizedmimeserialization\}OptimizedMimeSerialization is not supported \(line \d+\)$/,
      ),
    ]);
    expect(m!.service.security).toEqual({ ...MPAY_PORT, algorithmSuite: "Basic128Rsa15", includeTimestamp: false, onlySignEntireHeadersAndBody: false });
  });

  it("when no alternative is fully supported the first is used, honoured where it can be, with a warning per assertion", () => {
    const { model: m, diagnostics: d } = memoryModel({
      "main.wsdl": contract({
        binding: `<wsp:Policy><wsp:ExactlyOne><wsp:All>${asymmetric()}<sp:EncryptedParts><sp:Body/></sp:EncryptedParts></wsp:All><wsp:All><sp:SymmetricBinding/></wsp:All></wsp:ExactlyOne></wsp:Policy>`,
      }),
    });
    expect(d).toEqual([
      expect.stringMatching(/warning: none of the 2 alternatives of the policy is fully supported; the first one is used; the warnings at its assertions say what is not honoured$/),
      expect.stringMatching(/warning: sp:EncryptedParts is not supported: messages are signed, never encrypted; it is ignored$/),
    ]);
    expect(m!.service.security).toEqual(MPAY_PORT);
  });

  it("a policy that admits no alternative is ignored with a warning", () => {
    const { model: m, diagnostics: d } = memoryModel({ "main.wsdl": contract({ binding: "<wsp:Policy><wsp:ExactlyOne/></wsp:Policy>" }) });
    expect(d).toEqual([expect.stringMatching(/warning: the policy admits no alternative \(an empty wsp:ExactlyOne\); it is ignored$/)]);
    expect(m!.service.security).toBeUndefined();
  });
});

describe("assertions the generated code cannot honour are warnings at the assertion", () => {
  const cases: [string, string, RegExp[], SecurityPolicy | undefined][] = [
    ["sp:SymmetricBinding", "<sp:SymmetricBinding><wsp:Policy/></sp:SymmetricBinding>", [/sp:SymmetricBinding is not supported; .*; the generated code applies no message security for it; configure security in code if the service needs it$/], undefined],
    [
      "a UsernameToken as a signed supporting token over TLS",
      `<sp:TransportBinding><wsp:Policy><sp:TransportToken><wsp:Policy><sp:HttpsToken RequireClientCertificate="false"/></wsp:Policy></sp:TransportToken></wsp:Policy></sp:TransportBinding>
       <sp:SignedSupportingTokens><wsp:Policy><sp:UsernameToken sp:IncludeToken="${SP11}/IncludeToken/AlwaysToRecipient"/></wsp:Policy></sp:SignedSupportingTokens>`,
      [/warning: sp:SignedSupportingTokens \(sp:UsernameToken\) is not supported; supporting tokens are not sent or checked; add them in code if the service needs them$/],
      undefined,
    ],
    [
      "encryption, signature confirmation, a thumbprint reference, inclusive C14N",
      `${asymmetric().replace("<sp:WssX509V3Token10/>", "<sp:RequireThumbprintReference/><sp:WssX509V3Token10/>").replace("<sp:Basic256/>", "<sp:Basic256/><sp:InclusiveC14N/>")}
       <sp:Wss11><wsp:Policy><sp:MustSupportRefThumbprint/><sp:RequireSignatureConfirmation/></wsp:Policy></sp:Wss11>
       <sp:EncryptedElements><sp:XPath>//x</sp:XPath></sp:EncryptedElements>`,
      [
        /warning: sp:RequireThumbprintReference \(a key named by its SHA-1 thumbprint\) is not supported; /,
        /warning: sp:InclusiveC14N in sp:AlgorithmSuite is not supported \(only exclusive canonicalization is\); it is ignored$/,
        /warning: sp:RequireSignatureConfirmation \(WS-Security 1\.1 signature confirmation\) is not supported; it is ignored$/,
        /warning: sp:EncryptedElements is not supported: messages are signed, never encrypted; it is ignored$/,
      ],
      MPAY_PORT,
    ],
    ["a TransportBinding alone: no message security, no warning", `<sp:TransportBinding><wsp:Policy><sp:TransportToken><wsp:Policy><sp:HttpsToken/></wsp:Policy></sp:TransportToken></wsp:Policy></sp:TransportBinding>`, [], undefined],
    ["sp:Wss10 and sp:Trust10 are markers", `${asymmetric()}<sp:Wss10><wsp:Policy><sp:MustSupportRefKeyIdentifier/><sp:MustSupportRefIssuerSerial/></wsp:Policy></sp:Wss10><sp:Trust10><wsp:Policy><sp:MustSupportIssuedTokens/></wsp:Policy></sp:Trust10>`, [], MPAY_PORT],
    [
      "assertions of other domains, unless ignorable",
      `${asymmetric()}<wsaw:UsingAddressing xmlns:wsaw="http://www.w3.org/2006/05/addressing/wsdl"/><x:Hint xmlns:x="urn:x" wsp:Ignorable="true"/>`,
      [/warning: policy assertion \{http:\/\/www\.w3\.org\/2006\/05\/addressing\/wsdl\}UsingAddressing is not supported; it is ignored$/],
      MPAY_PORT,
    ],
    ["a SAML initiator token", asymmetric().replace(/<sp:InitiatorToken>.*?<\/sp:InitiatorToken>/s, "<sp:InitiatorToken><wsp:Policy><sp:SamlToken/></wsp:Policy></sp:InitiatorToken>"), [/warning: sp:SamlToken is not supported; only sp:X509Token is; the generated code applies/], undefined],
    ["an unknown algorithm suite", asymmetric({ suite: "Basic256GCM" }), [/warning: algorithm suite sp:Basic256GCM is not supported; known suites: Basic256, Basic256Rsa15, /], undefined],
    ["an sp:AlgorithmSuite without a suite", asymmetric().replace("<sp:Basic256/>", "<sp:XPath10/>"), [/warning: sp:AlgorithmSuite names no algorithm suite; write e\.g\. /], undefined],
    ["an unknown token inclusion", asymmetric({ recipient: "Sometimes" }), [/warning: sp:IncludeToken "http:\/\/schemas\.xmlsoap\.org\/ws\/2005\/07\/securitypolicy\/IncludeToken\/Sometimes" is not a token inclusion URI; expected /], undefined],
    ["sp:SignedParts without a security binding", signedBody, [/warning: sp:SignedParts applies to no security binding \(sp:AsymmetricBinding\) here; it is ignored; /], undefined],
    ["an empty sp:SignedParts (every header)", `${asymmetric()}<sp:SignedParts/>`, [/warning: an empty sp:SignedParts \(the Body and every header\) is not supported; the Body is signed; /], { ...MPAY_PORT, signedParts: { body: true, headers: [] } }],
  ];
  for (const [name, assertions, want, security] of cases) {
    it(name, () => {
      const { model: m, diagnostics: d } = memoryModel({ "main.wsdl": contract({ top: policy("p", assertions), binding: ref("p") }) });
      expect(d).toEqual(want.map((w) => expect.stringMatching(w)));
      expect(m!.service.security).toEqual(security);
    });
  }
});

describe("WSDLs of the shared corpus that carry WS-Policy", () => {
  const corpus = join(SHARED, "wsdl-corpus");
  const have = existsSync(corpus);

  /** The security a PolicyReader reads from policy attached to one binding of a corpus WSDL, with its diagnostics. */
  function bindingSecurity(path: string, binding: string, text?: string) {
    const file = join(corpus, path);
    const host: FileHost = text === undefined ? nodeFileHost : { readFile: (p) => (p === file ? text : nodeFileHost.readFile(p)) };
    const { ir, diagnostics: d } = parse(file, host, dirname(file));
    const b = ir.definitions.flatMap((x) => x.bindings).find((x) => x.name === binding)!;
    const reader = new PolicyReader(ir, d);
    const attached: (readonly PolicyExpression[])[] = [b.policy, ...b.operations.map((o) => o.policy)];
    return { security: reader.security(attached), diagnostics: render(d), ir };
  }

  it.skipIf(!have)("IndienenBericht (node-soap): an optional MTOM assertion referenced from an inline policy: the alternative without it", () => {
    const r = bindingSecurity("node-soap/test/request-response-samples/IndienenBericht__should_work_with_deeply_nested_XML_messages/soap.wsdl", "BerichtuitwisselingServiceV3Soap11");
    expect(r.security).toBeUndefined();
    expect(r.diagnostics).toEqual([
      "soap.wsdl:72:5: warning: the policy has 2 alternatives; the 2nd is used, the first one whose assertions are all supported; the 1st: policy assertion {http://schemas.xmlsoap.org/ws/2004/09/policy/optimizedmimeserialization}OptimizedMimeSerialization is not supported (line 20)",
    ]);
  });

  it.skipIf(!have)("a SAP PI WSDL (node-soap): wsp:UsingPolicy required, empty policies referenced from portType operations", async () => {
    const path = "node-soap/test/request-response-samples/GET_ALL_STORE_NUMBERS__should_work_with_more_deeply_nested_XML_messages_and_security/soap.wsdl";
    const { ir, diagnostics: d } = parse(join(corpus, path), nodeFileHost, dirname(join(corpus, path)));
    expect(render(d)).toEqual([]);
    const operations = ir.definitions[0]!.portTypes[0]!.operations;
    expect(operations.map((o) => o.policy.length)).toEqual([1, 1]);
    const reader = new PolicyReader(ir, d);
    expect(operations.map((o) => reader.security([o.policy]))).toEqual([undefined, undefined]);
    expect(render(d)).toEqual([]);
  });

  it.skipIf(!have)("PartnerService (wsdltophp): WCF's UsingAddressing on the SOAP 1.2 binding; the SOAP 1.1 port generated has no policy", () => {
    const r = bindingSecurity("wsdltophp-packagegenerator/tests/resources/partner/PartnerService.local.wsdl", "PartnerServiceWSEndPoint");
    expect(r.security).toBeUndefined();
    // (The contract's schemas bring tolerance warnings of their own: only policy ones are this test's.)
    expect(r.diagnostics.filter((x) => /polic/i.test(x))).toEqual(["PartnerService.local.wsdl:6:5: warning: policy assertion {http://www.w3.org/2006/05/addressing/wsdl}UsingAddressing is not supported; it is ignored"]);
    const file = join(corpus, "wsdltophp-packagegenerator/tests/resources/partner/PartnerService.local.wsdl");
    const { model: m, diagnostics: all } = model(file, nodeFileHost, dirname(file));
    expect(m!.service.security).toBeUndefined();
    expect(all.filter((x) => /polic|UsingAddressing/i.test(x))).toEqual([]);
  });

  it.skipIf(!have)("ws-policy.wsdl (node-soap): a TransportBinding (its wsp and wsu prefixes declared, a reference added) means no message security", () => {
    const path = "node-soap/test/wsdl/ws-policy.wsdl";
    const original = readFileSync(join(corpus, path), "utf8");
    const text = original
      .replace("<wsdl:definitions ", `<wsdl:definitions xmlns:wsp="${WSP12}" xmlns:wsu="${WSU}" `)
      .replace('<wsdl:binding name="DummyBinding" type="tns:DummyPortType">', '<wsdl:binding name="DummyBinding" type="tns:DummyPortType"><wsp:PolicyReference URI="#Dummy_policy"/>');
    expect(text).not.toBe(original);
    const r = bindingSecurity(path, "DummyBinding", text);
    expect(r.security).toBeUndefined();
    expect(r.diagnostics).toEqual([]);
  });
});

describe("emitted descriptors", () => {
  it("one private SecurityPolicy constant per distinct policy; the service and the operations refer to them", async () => {
    const { files } = await run({
      "main.wsdl": contract({ top: policy("p", asymmetric({ suite: "Basic128Sha256" })), binding: ref("p"), input: `<wsp:Policy>${signedBody}</wsp:Policy>` }),
    });
    const meta = files["src/meta.ts"]!;
    expect(meta).toContain('import { type SecurityPolicy, builtin, complexType, element, operation, service } from "@mpay-kit/runtime/codegen/v1";');
    expect(declaration(meta, "portSecurity")).toBe(
      lines(
        "/**",
        " * Message security that the WSDL's WS-SecurityPolicy asks of every message of port Port (the policy of",
        " * the port, its binding and its portType), unless an operation's or a message's policy adds to it.",
        " */",
        "const portSecurity: SecurityPolicy = {",
        '  binding: "asymmetric",',
        '  initiatorToken: "alwaysToRecipient",',
        '  recipientToken: "never",',
        '  algorithmSuite: "Basic128Sha256",',
        '  signature: "rsa-sha256",',
        '  layout: "lax",',
        "  includeTimestamp: true,",
        "  onlySignEntireHeadersAndBody: true,",
        "  signedParts: { body: false, headers: [] },",
        "};",
      ),
    );
    expect(declaration(meta, "messageSecurity")).toContain(" * Message security that the WSDL's WS-SecurityPolicy asks of the requests of Op: the port's policy and");
    expect(declaration(meta, "messageSecurity")).toContain("  signedParts: { body: true, headers: [] },");
    expect(declaration(meta, "operations")).toContain("    inputSecurity: messageSecurity,\n  }),");
    expect(declaration(meta, "operations")).not.toContain("outputSecurity");
    expect(declaration(meta, "SvcService")).toContain("  security: portSecurity,\n});");
  });

  it("signed headers are written with their namespace and name", async () => {
    const { files } = await run({
      "main.wsdl": contract({ binding: `<wsp:Policy>${asymmetric()}</wsp:Policy>`, output: `<wsp:Policy><sp:SignedParts><sp:Header Name="wsa:To" Namespace="http://www.w3.org/2005/08/addressing"/></sp:SignedParts></wsp:Policy>` }),
    });
    expect(declaration(files["src/meta.ts"]!, "messageSecurity")).toContain('signedParts: { body: false, headers: [{ ns: "http://www.w3.org/2005/08/addressing", local: "To" }] },');
  });
});
