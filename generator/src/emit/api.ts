/**
 * The user-facing API of a generated package: `client.ts` (a class with one method per
 * operation), `server.ts` (the handlers interface to implement and the listener factory),
 * `faults.ts` (the contract's fault codes), `time.ts` (date-times in the contract's time zone),
 * `documents.ts` (the WSDL and its imports, as served) and `index.ts` (everything re-exported).
 */
import { isIdentifierName } from "../ir/names.ts";
import { paragraphs } from "./docs.ts";
import { GeneratedFile } from "./file.ts";
import { importOperationTypes } from "./meta.ts";
import { bodyStyles, hasInput, headersTsType, inputTsType, outputTsType, type ContractModel, type OperationModel } from "./model.ts";
import type { SecurityPolicy } from "@mpay-kit/runtime/codegen/v1";

/** `a`, `a and b`, `a, b and c`. */
function joinWords(words: readonly string[]): string {
  return words.length <= 1 ? words.join("") : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

/** A method name: bare when possible, computed otherwise (`["my-op"]`, and `["constructor"]`, which a class reserves). */
function methodName(name: string): string {
  return isIdentifierName(name) && name !== "constructor" ? name : `[${JSON.stringify(name)}]`;
}

/** A method name in an interface (a quoted name is fine there). */
function signatureName(name: string): string {
  return isIdentifierName(name) ? name : JSON.stringify(name);
}

function operationAccess(model: ContractModel, op: OperationModel): string {
  return isIdentifierName(op.name) ? `${model.names.operations}.${op.name}` : `${model.names.operations}[${JSON.stringify(op.name)}]`;
}

function operationDocs(op: OperationModel, extra: string, side?: { readonly operation: string; readonly role: "client" | "server" }): string | undefined {
  const facts = [`SOAP action \`${op.soapAction === "" ? '""' : op.soapAction}\`.`];
  if (op.faults.length > 0) facts.push(`Declared faults: ${op.faults.join(", ")}.`);
  const typed = op.typedFaults[0];
  if (typed !== undefined && side !== undefined) {
    facts.push(
      side.role === "client"
        ? `A declared fault rejects the call with its detail decoded: \`isOperationFault(error, ${side.operation}, ${JSON.stringify(typed.name)})\` narrows \`error.detailValue\`.`
        : `Throw \`operationFault(${side.operation}, ${JSON.stringify(typed.name)}, detail)\` to answer with a declared fault and its typed detail.`,
    );
  }
  return paragraphs(op.documentation, facts.join(" "), extra);
}

export function emitClient(model: ContractModel, preamble: string): GeneratedFile {
  const f = new GeneratedFile("src/client.ts", preamble);
  const soap = f.runtime("SoapClient");
  const ops = f.local("./meta.ts", model.names.operations, false);
  const service = f.local("./meta.ts", model.names.service, false);
  const first = model.operations[0];
  f.class({
    name: model.names.client,
    docs: paragraphs(
      `A typed client for service ${model.service.name} (port ${model.service.port}, SOAP ${model.service.soapVersion}, ${bodyStyles(model)}).`,
      "Each method sends one request and resolves with the decoded response; a SOAP fault rejects the call with a `SoapFault`, a failed exchange with a `TransportError`, and a value that breaks the schema (in either direction) with a `CodecError`.",
      first === undefined
        ? undefined
        : [
            "@example",
            "```ts",
            securityOf(model) === undefined
              ? `const client = new ${model.names.client}({ endpoint: "https://provider.example/service" });`
              : `const client = new ${model.names.client}({ endpoint: "https://provider.example/service", wsSecurity: { identity: loadCredentials({ cert, key }), trust: new TrustStore({ anchors }) } });`,
            `const response = await client.${isIdentifierName(first.name) ? first.name : `[${JSON.stringify(first.name)}]`}(${!hasInput(first) ? "" : "request"});`,
            "```",
          ].join("\n"),
    ),
    fields: [{ name: "#soap", type: `${soap}<typeof ${ops}>` }],
    constructor: {
      docs: paragraphs(
        "@param options - the endpoint URL and, optionally, timeouts, headers, TLS (client certificate, trusted server anchors) and message security.",
        securityOf(model) === undefined
          ? "The WSDL asks for no message security; `wsSecurity: { identity, trust }` adds WS-Security signatures anyway."
          : `The WSDL's policy asks for WS-Security signatures (${securityOf(model)!.algorithmSuite}): give \`wsSecurity: { identity, trust }\`, or \`wsSecurity: false\` to send unsigned requests. Without either, the constructor throws.`,
      ),
      parameters: [{ name: "options", type: f.runtime("SecuredClientOptions") }],
      body: [`this.#soap = new ${soap}(${service}, ${f.runtime("withClientSecurity")}(${service}, options));`],
    },
    methods: model.operations.map((op) => {
      importOperationTypes(f, op);
      const inHeaders = headersTsType(op.inputHeaders);
      const outHeaders = headersTsType(op.outputHeaders);
      const options = inHeaders === undefined ? f.runtime("CallOptions") : `${f.runtime("HeaderCallOptions")}<${inHeaders}>`;
      const input = !hasInput(op) ? [] : [{ name: "input", type: inputTsType(op) }];
      const out = outputTsType(op);
      const inputArgument = !hasInput(op) ? "undefined" : "input";
      const params = [
        !hasInput(op) ? "The request's Body is empty." : op.inputParts !== undefined ? "@param input - the request's parts, one Body element each." : "@param input - the request Body element's value.",
        inHeaders === undefined
          ? "@param options - per-call signal, timeout and headers."
          : `@param options - per-call signal, timeout, HTTP headers, and the request's header blocks (\`soapHeaders\`: ${op.inputHeaders.map((h) => h.name).join(", ")}).`,
        op.oneWay ? "@returns nothing: the operation is one-way; the promise resolves once the service accepted the message (HTTP 202)." : undefined,
      ];
      if (outHeaders === undefined) {
        return {
          name: methodName(op.name),
          async: true,
          docs: operationDocs(op, params.filter((p) => p !== undefined).join("\n"), { operation: operationAccess(model, op), role: "client" }),
          parameters: [...input, { name: "options", type: options, optional: true }],
          returnType: `Promise<${out}>`,
          body: [`return this.#soap.call(${operationAccess(model, op)}, ${inputArgument}, options);`],
        };
      }
      // Response header blocks are returned when asked, with the Body: `{ output, headers }`.
      const withHeaders = `${f.runtime("ResponseWithHeaders")}<${out}, ${outHeaders}>`;
      return {
        name: methodName(op.name),
        async: true,
        docs: undefined,
        parameters: [...input, { name: "options", type: `${options} & { readonly responseHeaders?: boolean }`, optional: true }],
        returnType: `Promise<${out} | ${withHeaders}>`,
        body: [
          `return options?.responseHeaders === true ? this.#soap.callWithHeaders(${operationAccess(model, op)}, ${inputArgument}, options) : this.#soap.call(${operationAccess(model, op)}, ${inputArgument}, options);`,
        ],
        overloads: [
          {
            docs: operationDocs(
              op,
              [...params.filter((p) => p !== undefined), `@returns the response Body element's value and its header blocks (${op.outputHeaders.map((h) => h.name).join(", ")}), when \`options.responseHeaders\` is \`true\`.`].join("\n"),
              { operation: operationAccess(model, op), role: "client" },
            ),
            parameters: [...input, { name: "options", type: `${options} & { readonly responseHeaders: true }` }],
            returnType: `Promise<${withHeaders}>`,
          },
          {
            docs: operationDocs(op, params.filter((p) => p !== undefined).join("\n"), { operation: operationAccess(model, op), role: "client" }),
            parameters: [...input, { name: "options", type: `${options} & { readonly responseHeaders?: false }`, optional: true }],
            returnType: `Promise<${out}>`,
          },
        ],
      };
    }),
  });
  return f;
}

export function emitServer(model: ContractModel, preamble: string): GeneratedFile {
  const f = new GeneratedFile("src/server.ts", preamble);
  const context = f.runtime("RequestContext");
  /** The handler context of an operation, typed with its header blocks when it declares some. */
  const contextType = (op: OperationModel): string => {
    const inHeaders = headersTsType(op.inputHeaders);
    const outHeaders = headersTsType(op.outputHeaders);
    return inHeaders === undefined && outHeaders === undefined ? context : `${context}<${inHeaders ?? "{}"}, ${outHeaders ?? "{}"}>`;
  };
  f.interface({
    name: model.names.handlers,
    docs: paragraphs(
      `An implementation of service ${model.service.name}: one handler per operation.`,
      model.faults === undefined
        ? "A handler answers with its return value, or with a SOAP fault by throwing a `SoapFault`."
        : "A handler answers with its return value, or with a SOAP fault by throwing one (see `fault()` for the contract's codes). Any other error becomes the contract's internal-error fault, without its message.",
    ),
    methods: model.operations.map((op) => {
      importOperationTypes(f, op);
      const out = outputTsType(op);
      return {
        name: signatureName(op.name),
        docs: operationDocs(
          op,
          [
            !hasInput(op) ? "The request's Body is empty: the handler takes only the context." : op.inputParts !== undefined ? "@param input - the decoded request parts, one Body element each." : "@param input - the decoded request Body element.",
            `@param context - ${joinWords([
              "the operation name",
              "the HTTP request",
              "the received message",
              "what message security verified",
              ...(op.inputHeaders.length === 0 ? [] : [`the request's header blocks (\`headers\`: ${op.inputHeaders.map((h) => h.name).join(", ")})`]),
              ...(op.outputHeaders.length === 0 ? [] : [`where to set the response's (\`responseHeaders\`: ${op.outputHeaders.map((h) => h.name).join(", ")})`]),
            ])}.`,
            op.oneWay ? "@returns nothing: the operation is one-way. The server answers HTTP 202 without a body once the handler is done; if it throws, the caller gets a fault (HTTP 500) instead." : undefined,
          ]
            .filter((p) => p !== undefined)
            .join("\n"),
          { operation: operationAccess(model, op), role: "server" },
        ),
        parameters: [...(!hasInput(op) ? [] : [{ name: "input", type: inputTsType(op) }]), { name: "context", type: contextType(op) }],
        returnType: `${out.includes("|") ? `(${out})` : out} | Promise<${out}>`,
      };
    }),
  });
  const create = f.runtime("createSoapRequestHandler");
  // Each handler is called as a method of `handlers`, so a class instance works as the implementation.
  const bound = model.operations.map((op) => {
    const key = isIdentifierName(op.name) ? op.name : JSON.stringify(op.name);
    const call = isIdentifierName(op.name) ? `handlers.${op.name}` : `handlers[${JSON.stringify(op.name)}]`;
    return !hasInput(op)
      ? `${key}: (_input: undefined, context: ${contextType(op)}) => ${call}(context)`
      : `${key}: (input: ${inputTsType(op)}, context: ${contextType(op)}) => ${call}(input, context)`;
  });
  const service = f.local("./meta.ts", model.names.service, false);
  const faults = model.faults;
  const settings =
    faults === undefined
      ? undefined
      : [
          `namespace: ${JSON.stringify(model.namespace)}`,
          ...(faults.invalidRequest === undefined ? [] : [`invalidRequest: ${JSON.stringify(faults.invalidRequest)}`]),
          ...(faults.internalError === undefined ? [] : [`internalError: ${JSON.stringify(faults.internalError)}`]),
          "...options.faults",
        ].join(", ");
  f.function({
    name: model.names.createHandler,
    docs: paragraphs(
      `Creates the \`node:http\` request listener of service ${model.service.name}: routes each POST to its handler, and serves the WSDL at \`?wsdl\` (with its imports at \`?xsd=...\`).`,
      "It answers SOAP 1.1 (`text/xml`) and SOAP 1.2 (`application/soap+xml`) requests alike, each in the version it came in.",
      faults === undefined
        ? undefined
        : `Faults the server raises itself use the contract's codes, qualified with \`${model.namespace}\`:${faults.invalidRequest === undefined ? "" : ` a malformed or schema-breaking request answers \`${faults.invalidRequest}\`;`}${faults.authenticationFailed === undefined ? "" : ` a request whose signature is refused answers \`${faults.authenticationFailed}\`;`}${faults.internalError === undefined ? "" : ` an unexpected handler error answers \`${faults.internalError}\`;`} \`options.faults\` overrides these.`,
      securityOf(model) === undefined
        ? "The WSDL asks for no message security; `options.wsSecurity: { identity, trust }` adds WS-Security anyway."
        : `The WSDL's policy asks for WS-Security signatures (${securityOf(model)!.algorithmSuite}): give \`options.wsSecurity: { identity, trust }\` (requests must then be signed by a trusted certificate, and answers are signed), or \`wsSecurity: false\` to run without message security. Without either, this function throws.`,
      [
        "@example",
        "```ts",
        securityOf(model) === undefined
          ? `createServer(${model.names.createHandler}(handlers)).listen(8080);`
          : `createServer(${model.names.createHandler}(handlers, { wsSecurity: { identity: loadCredentials({ cert, key }), trust: new TrustStore({ anchors }) } })).listen(8080);`,
        "```",
      ].join("\n"),
    ),
    parameters: [
      { name: "handlers", type: model.names.handlers },
      { name: "options", type: f.runtime("SecuredServerOptions"), initializer: "{}" },
    ],
    returnType: `ReturnType<typeof ${create}>`,
    body: [
      `return ${create}(${service}, { ${bound.join(", ")} }, ${f.runtime("withServerSecurity")}(${service}, ${settings === undefined ? "options" : `{ ...options, faults: { ${settings} } }`}${faults?.authenticationFailed === undefined ? "" : `, ${JSON.stringify(faults.authenticationFailed)}`}));`,
    ],
  });
  return f;
}

export function emitFaults(model: ContractModel, preamble: string): GeneratedFile | undefined {
  const faults = model.faults;
  if (faults === undefined) return undefined;
  const f = new GeneratedFile("src/faults.ts", preamble);
  const soapFault = f.runtime("SoapFault");
  const { faultCodes, faultCode, fault, isFault } = model.names;
  f.constant({
    name: faultCodes,
    exported: true,
    docs: `The fault codes of the contract: local names, qualified with \`${model.namespace}\` on the wire.`,
    initializer: `[${faults.codes.map((c) => JSON.stringify(c)).join(", ")}] as const`,
  });
  f.typeAlias({ name: faultCode, docs: `One of {@link ${faultCodes}}.`, type: `(typeof ${faultCodes})[number]` });
  const example = faults.codes.find((c) => c !== faults.internalError && c !== faults.invalidRequest) ?? faults.codes[0]!;
  f.function({
    name: fault,
    docs: paragraphs(
      "A contract fault, to throw from a handler; its code is qualified with the WSDL's target namespace.",
      "@param code - the fault code.\n@param reason - the human-readable `faultstring`.",
      ["@example", "```ts", `throw ${fault}(${JSON.stringify(example)}, "...");`, "```"].join("\n"),
    ),
    parameters: [
      { name: "code", type: faultCode },
      { name: "reason", type: "string" },
    ],
    returnType: `${soapFault}<${faultCode}>`,
    body: [`return new ${soapFault}(code, reason, { namespace: ${JSON.stringify(model.namespace)} });`],
  });
  f.function({
    name: isFault,
    docs: undefined,
    overloads: [
      { docs: `Whether \`error\` is a SOAP fault with one of the contract's codes.`, parameters: [{ name: "error", type: "unknown" }], returnType: `error is ${soapFault}<${faultCode}>` },
      {
        docs: `Whether \`error\` is a SOAP fault with this code.`,
        typeParameters: [`C extends ${faultCode}`],
        parameters: [
          { name: "error", type: "unknown" },
          { name: "code", type: "C" },
        ],
        returnType: `error is ${soapFault}<C>`,
      },
    ],
    parameters: [
      { name: "error", type: "unknown" },
      { name: "code", type: faultCode, optional: true },
    ],
    returnType: "boolean",
    body: [
      `if (!(error instanceof ${soapFault})) return false;`,
      `return code === undefined ? (${faultCodes} as readonly string[]).includes(error.code) : error.code === code;`,
    ],
  });
  return f;
}

/** `time.ts`, when the config gives the contract's time zone: date-times to and from `Date` in that zone. */
export function emitTime(model: ContractModel, preamble: string): GeneratedFile | undefined {
  const zone = model.timeZone;
  if (zone === undefined) return undefined;
  const f = new GeneratedFile("src/time.ts", preamble);
  const { contractTimeZone, toDate, fromDate } = model.names;
  const dateTime = f.runtime("DateTime");
  f.constant({
    name: contractTimeZone,
    exported: true,
    docs: `The time zone in which this contract's date-times without an offset are written: ${zone}.`,
    initializer: JSON.stringify(zone),
  });
  f.function({
    name: toDate,
    docs: `The instant a date-time of this contract names; an offset-less value is read in ${zone}.`,
    parameters: [
      { name: "value", type: dateTime },
      { name: "options", type: f.runtime("ToDateOptions"), optional: true },
    ],
    returnType: "Date",
    body: [`return ${f.runtime("dateTimeToDate")}(value, ${contractTimeZone}, options);`],
  });
  f.function({
    name: fromDate,
    docs: `The wall-clock date-time of an instant in ${zone}, without an offset unless asked (as WCF writes it).`,
    parameters: [
      { name: "date", type: "Date" },
      { name: "options", type: f.runtime("FromDateOptions"), optional: true },
    ],
    returnType: dateTime,
    body: [`return ${f.runtime("dateTimeFromDate")}(date, ${contractTimeZone}, options);`],
  });
  return f;
}

/** Characters a template literal cannot hold as themselves (lone surrogates: `u` flag). */
const TEMPLATE_ESCAPES = /[\\`$\u0000-\u0008\u000b-\u001f\u007f\ud800-\udfff]/gu;

/** A string as a template literal (readable multi-line text in a diff); every character survives. */
function templateLiteral(text: string): string {
  const escaped = text.replace(TEMPLATE_ESCAPES, (ch) =>
    ch === "\\" || ch === "`" || ch === "$" ? `\\${ch}` : `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return `\`${escaped}\``;
}

export function emitDocuments(model: ContractModel, preamble: string): GeneratedFile {
  const f = new GeneratedFile("src/documents.ts", preamble);
  const served = f.runtime("ServedDocument");
  const entries = model.documents.map((d) => {
    const links = d.links.map((l) => `{ start: ${l.start}, end: ${l.end}, target: ${JSON.stringify(l.target)} }`).join(", ");
    return `{ key: ${JSON.stringify(d.key)}, links: [${links}], text: ${f.verbatim(templateLiteral(d.text))} }`;
  });
  f.constant({
    name: model.names.documents,
    exported: true,
    docs: "The WSDL and every file it imports, with their original text, as the server serves them at `?wsdl`, `?xsd=...` and `?wsdl=...`. `links` mark each import location and port address, which the server rewrites to point at itself.",
    type: `readonly ${served}[]`,
    initializer: `[${entries.join(", ")}]`,
  });
  return f;
}

export function emitIndex(model: ContractModel, preamble: string): GeneratedFile {
  const f = new GeneratedFile("src/index.ts", preamble);
  const optional = [...(model.faults === undefined ? [] : ["./faults.ts"]), ...(model.timeZone === undefined ? [] : ["./time.ts"])];
  for (const file of ["./types.ts", "./meta.ts", "./documents.ts", "./client.ts", "./server.ts", ...optional]) f.reexport(file);
  f.reexportRuntime([
    "SoapFault",
    "CallOptions",
    "ClientOptions",
    "SecuredClientOptions",
    "SecuredServerOptions",
    "RequestContext",
    "ServerOptions",
    ...(model.timeZone === undefined ? [] : (["ToDateOptions", "FromDateOptions"] as const)),
    // Declared faults with typed details: what throws and recognises them.
    ...(model.operations.some((op) => op.typedFaults.length > 0) ? (["operationFault", "isOperationFault"] as const) : []),
  ]);
  return f;
}

/** The policy that makes a generated server or client demand WS-Security (the endpoint's, else an operation's). */
function securityOf(model: ContractModel): SecurityPolicy | undefined {
  return model.service.security ?? model.security[0]?.policy;
}
