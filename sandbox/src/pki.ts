/**
 * The test PKI the sandbox uses when no certificates are given: a root CA, a certificate playing
 * MPay (the sandbox signs with it) and one for the provider, made once by the same code as
 * `mpay-codegen certs` and kept in the data folder, so the provider can be configured once.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
// The generator's PKI code is reused as is; it is not exported from @mpay-kit/codegen's entry point.
import { writeDevelopmentPki } from "@mpay-kit/runtime/dev-pki";

export interface SandboxPki {
  readonly dir: string;
  readonly caPath: string;
  readonly mpayCertPath: string;
  readonly mpayKeyPath: string;
  readonly providerCertPath: string;
  readonly providerKeyPath: string;
  /** Made by this call (first run). */
  readonly created: boolean;
}

const NEEDED = ["ca.pem", "mpay.pem", "mpay-key.pem", "provider.pem", "provider-key.pem"] as const;

export class PkiError extends Error {
  override readonly name = "PkiError";
}

/** The PKI in `dir`, made there first if the folder has none. A half-present PKI is refused. */
export function ensureDevelopmentPki(dir: string): SandboxPki {
  const present = NEEDED.filter((name) => existsSync(join(dir, name)));
  let created = false;
  if (present.length === 0) {
    writeDevelopmentPki(dir);
    created = true;
  } else if (present.length < NEEDED.length) {
    const missing = NEEDED.filter((name) => !present.includes(name));
    throw new PkiError(`${dir} holds part of a PKI (${missing.join(", ")} missing); delete the folder to have a new one made`);
  }
  return {
    dir,
    caPath: join(dir, "ca.pem"),
    mpayCertPath: join(dir, "mpay.pem"),
    mpayKeyPath: join(dir, "mpay-key.pem"),
    providerCertPath: join(dir, "provider.pem"),
    providerKeyPath: join(dir, "provider-key.pem"),
    created,
  };
}
