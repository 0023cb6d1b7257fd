/**
 * How generated servers and clients turn the WSDL's WS-SecurityPolicy and the user's keys into
 * message security. Kept here, not in generated code, so that every generated package decides
 * the same way and stays thin.
 *
 * Fail closed: when the WSDL's policy asks for signatures and the user configured neither
 * `wsSecurity` nor their own `security` layer, creating the server or client throws, because
 * running unsigned would silently accept forged requests (or send requests the peer refuses).
 * `wsSecurity: false` says so explicitly (tests, or a gateway that verifies in front).
 */
import type { ServiceMeta } from "../../meta.ts";
import type { SecurityPolicy } from "../../security/policy.ts";
import type { ServerOptions } from "../../soap/server.ts";
import type { ClientOptions } from "../../soap/client.ts";
import { wsSecurityClient, wsSecurityServer, type WsSecurityClientSettings, type WsSecurityServerSettings } from "../../security/ws-security.ts";

/** Server options of a generated package: the runtime's plus WS-Security from the WSDL's policy. */
export interface SecuredServerOptions extends ServerOptions {
  /**
   * WS-Security as the WSDL's policy asks: give this side's `identity` (key and certificate, e.g.
   * from `loadCredentials`) and the `trust` for the peer's signatures (a `TrustStore`); algorithm,
   * Timestamp and token inclusion come from the policy, and any setting here overrides it.
   * `false` runs without message security even though the policy asks for it.
   */
  readonly wsSecurity?: Omit<WsSecurityServerSettings, "policy"> | false;
}

/** Client options of a generated package: the runtime's plus WS-Security from the WSDL's policy. */
export interface SecuredClientOptions extends ClientOptions {
  /** As {@link SecuredServerOptions.wsSecurity}, for the calling side. */
  readonly wsSecurity?: Omit<WsSecurityClientSettings, "policy"> | false;
}

/** The policy that makes the service demand WS-Security: the endpoint's, else an operation's. */
function policyOf(service: ServiceMeta): SecurityPolicy | undefined {
  if (service.security !== undefined) return service.security;
  for (const op of Object.values(service.operations)) {
    const p = op.inputSecurity ?? op.outputSecurity;
    if (p !== undefined) return p;
  }
  return undefined;
}

function policyText(service: ServiceMeta): string {
  const p = policyOf(service)!;
  return `${p.algorithmSuite} (${p.signature})${p.includeTimestamp ? " with a signed Timestamp" : ""}`;
}

function missing(service: ServiceMeta, side: string): Error {
  return new Error(
    `${service.name}: the WSDL's policy requires WS-Security signatures, ${policyText(service)}; pass wsSecurity: { identity, trust } to the ${side}` +
      ` (or your own security layer as security), or wsSecurity: false to run without message security`,
  );
}

/**
 * The decision both sides make: the user's own `security` layer, none, or WS-Security from the
 * policy. Returns the WS-Security settings to build a layer from, or `undefined` for none to build.
 */
function chosenWsSecurity<S>(service: ServiceMeta, wsSecurity: S | false | undefined, own: unknown, side: string): S | undefined {
  if (wsSecurity !== undefined && wsSecurity !== false && own !== undefined) {
    throw new Error(`${service.name}: give either wsSecurity or security, not both`);
  }
  if (own !== undefined || wsSecurity === false) return undefined;
  if (wsSecurity === undefined && policyOf(service) !== undefined) throw missing(service, side);
  return wsSecurity;
}

/**
 * The runtime server options for a generated server: `wsSecurity` resolved against the
 * service's policy into a `security` layer.
 * @param authenticationFault the contract's fault code for a refused signature, if it has one.
 */
export function withServerSecurity(service: ServiceMeta, options: SecuredServerOptions, authenticationFault?: string): ServerOptions {
  const { wsSecurity, ...rest } = options;
  const settings = chosenWsSecurity(service, wsSecurity, rest.security, "server");
  if (settings === undefined) return rest;
  return {
    ...rest,
    security: wsSecurityServer({
      policy: policyOf(service),
      ...(authenticationFault === undefined ? {} : { fault: { code: authenticationFault } }),
      ...settings,
    }),
  };
}

/** The runtime client options for a generated client, as {@link withServerSecurity}. */
export function withClientSecurity(service: ServiceMeta, options: SecuredClientOptions): ClientOptions {
  const { wsSecurity, ...rest } = options;
  const settings = chosenWsSecurity(service, wsSecurity, rest.security, "client");
  return settings === undefined ? rest : { ...rest, security: wsSecurityClient({ policy: policyOf(service), ...settings }) };
}
