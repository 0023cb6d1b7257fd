/**
 * Generator options: what to generate, from which WSDL, into which package.
 *
 * The single source for the repository is `wsdl/codegen.json` (see {@link parseConfig}); the CLI
 * can also build one contract from flags. Paths in options are relative to `baseDir` (the config
 * file's folder, or the working directory for flags) and so are the paths the generator prints
 * and writes into generated files: output never depends on where the repository lives.
 */
import { posix } from "node:path";

/** Contract-specific SOAP fault codes, qualified with the WSDL target namespace on the wire. */
export interface FaultOptions {
  /** Every fault code the contract defines (local names). */
  readonly codes: readonly string[];
  /** The code the server answers a malformed or schema-breaking request with. */
  readonly invalidRequest?: string;
  /** The code the server answers an unexpected handler error with. */
  readonly internalError?: string;
  /** The code the server answers a request whose WS-Security signature it refuses with. */
  readonly authenticationFailed?: string;
}

/** One WSDL → one generated package. */
export interface ContractOptions {
  /** The main WSDL, relative to `baseDir`. */
  readonly wsdl: string;
  /** The package folder to generate, relative to `baseDir`. */
  readonly out: string;
  /** npm package name of the generated package. */
  readonly package: string;
  /** A catalog mapping absolute import URLs to local files, relative to `baseDir`. */
  readonly catalog?: string;
  readonly faults?: FaultOptions;
  /** The `wsdl:service` to generate (default: the first one of the main WSDL). */
  readonly service?: string;
  /** The `wsdl:port` to generate (default: the first usable SOAP 1.1 port of the service). */
  readonly port?: string;
  /**
   * The IANA time zone in which the contract's date-times without an offset are written
   * (`Europe/Chisinau` for MPay). When set, the package gets `src/time.ts`: `contractTimeZone`,
   * `toDate()` and `fromDate()`.
   */
  readonly timeZone?: string;
}

/** `invalid option "key": reason`. */
export class OptionError extends Error {
  override readonly name = "OptionError";
  readonly key: string;
  readonly reason: string;
  constructor(key: string, reason: string) {
    super(`invalid option ${JSON.stringify(key)}: ${reason}`);
    this.key = key;
    this.reason = reason;
  }
}

/** The short name of a contract, used in summaries: the last segment of its output folder. */
export function contractName(contract: ContractOptions): string {
  const parts = contract.out.replace(/\\/g, "/").split("/").filter((p) => p !== "" && p !== ".");
  return parts[parts.length - 1] ?? contract.package;
}

const CONTRACT_KEYS = ["wsdl", "out", "package", "catalog", "faults", "service", "port", "timeZone"] as const;
const FAULT_KEYS = ["codes", "invalidRequest", "internalError", "authenticationFailed"] as const;
const PACKAGE_NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;
const NCNAME = /^[\p{L}_][\p{L}\p{N}_.\-\u00B7\u0300-\u036F\u203F\u2040]*$/u;

/**
 * Parses and checks the JSON text of a config file:
 * `{ "catalog"?: string, "contracts": [ { "wsdl", "out", "package", "catalog"?, "faults"?, "service"?, "port"?, "timeZone"? } ] }`.
 * A top-level `catalog` applies to every contract that does not name its own.
 * @throws OptionError
 */
export function parseConfig(text: string): ContractOptions[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new OptionError("", `the config is not valid JSON (${(e as Error).message})`);
  }
  const root = object(json, "");
  knownKeys(root, "", ["contracts", "catalog"]);
  const catalog = optionalString(root, "catalog", "catalog");
  const list = root["contracts"];
  if (!Array.isArray(list) || list.length === 0) throw new OptionError("contracts", "must be a non-empty array of contracts");
  const contracts = list.map((item: unknown, i) => {
    const contract = parseContract(item, `contracts[${i}]`);
    return catalog !== undefined && contract.catalog === undefined ? { ...contract, catalog } : contract;
  });
  checkContracts(contracts);
  return contracts;
}

/** Checks one contract given programmatically or from flags. @throws OptionError */
export function parseContract(value: unknown, key: string): ContractOptions {
  const o = object(value, key);
  knownKeys(o, key, CONTRACT_KEYS);
  const wsdl = requiredString(o, "wsdl", `${key}.wsdl`);
  const out = requiredString(o, "out", `${key}.out`);
  const pkg = requiredString(o, "package", `${key}.package`);
  if (!PACKAGE_NAME.test(pkg)) throw new OptionError(`${key}.package`, `${JSON.stringify(pkg)} is not a valid npm package name`);
  const catalog = optionalString(o, "catalog", `${key}.catalog`);
  const service = optionalString(o, "service", `${key}.service`);
  const port = optionalString(o, "port", `${key}.port`);
  const timeZone = optionalString(o, "timeZone", `${key}.timeZone`);
  if (timeZone !== undefined) checkTimeZone(timeZone, `${key}.timeZone`);
  const faults = o["faults"] === undefined ? undefined : parseFaults(o["faults"], `${key}.faults`);
  return {
    wsdl,
    out,
    package: pkg,
    ...(catalog === undefined ? {} : { catalog }),
    ...(faults === undefined ? {} : { faults }),
    ...(service === undefined ? {} : { service }),
    ...(port === undefined ? {} : { port }),
    ...(timeZone === undefined ? {} : { timeZone }),
  };
}

/**
 * Checks that `timeZone` is an IANA time zone name this JavaScript engine knows (generated code
 * converts with `Intl`, so a name it does not know would fail at run time). The name is kept as
 * written: canonicalizing it (`Europe/Kiev` → `Europe/Kyiv`) would make the output depend on the
 * engine's time zone data. Fixed UTC offsets (`+03:00`) are refused: they are not zone names.
 * @throws OptionError
 */
function checkTimeZone(timeZone: string, key: string): void {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone });
  } catch (e) {
    throw new OptionError(key, `${JSON.stringify(timeZone)} is not a time zone known to this JavaScript engine (${(e as Error).message}); give an IANA name such as "Europe/Chisinau"`);
  }
  if (/^[+-]/.test(timeZone)) throw new OptionError(key, `${JSON.stringify(timeZone)} is a fixed UTC offset; give an IANA time zone name such as "Europe/Chisinau" (or "Etc/GMT-3")`);
}

/** Checks a list of contracts together: no two write the same folder. @throws OptionError */
export function checkContracts(contracts: readonly ContractOptions[]): void {
  const seen = new Map<string, number>();
  contracts.forEach((c, i) => {
    const out = posix.normalize(c.out.replace(/\\/g, "/")).replace(/\/$/, "");
    const other = seen.get(out);
    if (other !== undefined) throw new OptionError(`contracts[${i}].out`, `contracts[${other}] already generates into ${out}`);
    seen.set(out, i);
  });
}

function parseFaults(value: unknown, key: string): FaultOptions {
  const o = object(value, key);
  knownKeys(o, key, FAULT_KEYS);
  const codes = o["codes"];
  if (!Array.isArray(codes) || codes.length === 0 || codes.some((c) => typeof c !== "string")) {
    throw new OptionError(`${key}.codes`, "must be a non-empty array of fault code names");
  }
  const seen = new Set<string>();
  for (const code of codes as string[]) {
    if (!NCNAME.test(code)) throw new OptionError(`${key}.codes`, `${JSON.stringify(code)} is not an XML name (a fault code is the local part of a QName)`);
    if (seen.has(code)) throw new OptionError(`${key}.codes`, `${JSON.stringify(code)} is listed twice`);
    seen.add(code);
  }
  const pick = (name: "invalidRequest" | "internalError" | "authenticationFailed"): string | undefined => {
    const v = optionalString(o, name, `${key}.${name}`);
    if (v !== undefined && !seen.has(v)) throw new OptionError(`${key}.${name}`, `${JSON.stringify(v)} is not one of ${key}.codes`);
    return v;
  };
  const invalidRequest = pick("invalidRequest");
  const internalError = pick("internalError");
  const authenticationFailed = pick("authenticationFailed");
  return {
    codes: codes as string[],
    ...(invalidRequest === undefined ? {} : { invalidRequest }),
    ...(internalError === undefined ? {} : { internalError }),
    ...(authenticationFailed === undefined ? {} : { authenticationFailed }),
  };
}

function object(value: unknown, key: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new OptionError(key, "must be an object");
  return value as Record<string, unknown>;
}

function knownKeys(o: Record<string, unknown>, key: string, known: readonly string[]): void {
  for (const k of Object.keys(o)) {
    if (!known.includes(k)) throw new OptionError(key === "" ? k : `${key}.${k}`, `unknown option; known options here: ${known.join(", ")}`);
  }
}

function requiredString(o: Record<string, unknown>, name: string, key: string): string {
  const v = o[name];
  if (typeof v !== "string" || v === "") throw new OptionError(key, "must be a non-empty string");
  return v;
}

function optionalString(o: Record<string, unknown>, name: string, key: string): string | undefined {
  const v = o[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || v === "") throw new OptionError(key, "must be a non-empty string");
  return v;
}
