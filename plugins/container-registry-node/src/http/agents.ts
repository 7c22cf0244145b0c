import type { lookup as dnsLookup } from 'node:dns';
import { isIP, Socket } from 'node:net';
import { getCACertificates, rootCertificates } from 'node:tls';
import { Agent, buildConnector } from 'undici';
import type { TransportSettings } from '../connection/types';
import { AddressPolicy } from './addressPolicy';
import { connectorWithWriteTimeout } from './writeTimeout';

/**
 * A custom CA is trusted besides the default ones, not instead: an admin may list an object
 * store of their own next to public ones.
 */
function trustedCertificates(caCert: string): string[] {
  // getCACertificates arrived in Node 22.15; before it, the bundled roots are the default.
  const defaults = getCACertificates?.('default') ?? rootCertificates;
  return [...defaults, caCert];
}

function agentOptions(t: TransportSettings, connect: buildConnector.connector) {
  return {
    connections: t.maxConnections,
    keepAliveTimeout: t.keepAliveExpiryMs,
    keepAliveMaxTimeout: t.keepAliveExpiryMs,
    headersTimeout: t.readTimeoutMs,
    bodyTimeout: t.readTimeoutMs,
    connect,
  };
}

/**
 * The agent for the registry's own origin: the connection's TLS settings apply here only.
 * Notes the addresses the registry is reached on, which decide where redirects may lead.
 */
export function registryAgent(t: TransportSettings, policy: AddressPolicy) {
  const connect = connectorWithWriteTimeout(
    {
      timeout: t.connectTimeoutMs,
      rejectUnauthorized: !t.insecureSkipTlsVerify,
      ...(t.caCert ? { ca: trustedCertificates(t.caCert) } : {}),
    },
    t.writeTimeoutMs,
  );
  return new Agent(
    agentOptions(t, (options, callback) =>
      connect(options, (error, socket) => {
        const address = (socket as Socket | null)?.remoteAddress;
        if (address) policy.noteRegistryAddress(address);
        callback(error as Error, socket as any);
      }),
    ),
  );
}

/**
 * The agent for every other origin (blob stores, CDNs, token services): default TLS checks
 * whatever the registry's settings, and the address policy checked on every connect.
 */
export function foreignAgent(
  t: TransportSettings,
  policy: AddressPolicy,
  lookup?: typeof dnsLookup,
) {
  const base = {
    timeout: t.connectTimeoutMs,
    lookup: policy.checkedLookup(lookup),
  } as buildConnector.BuildOptions;
  const publicTls = connectorWithWriteTimeout(base, t.writeTimeoutMs);
  // An admin-listed host may sit behind the same private CA as the registry.
  const listedTls = t.caCert
    ? connectorWithWriteTimeout(
        { ...base, ca: trustedCertificates(t.caCert) },
        t.writeTimeoutMs,
      )
    : publicTls;
  return new Agent(
    agentOptions(t, (options, callback) => {
      const host = options.hostname.replace(/^\[|\]$/g, '');
      // net.connect looks up names only: an address literal is checked here.
      if (isIP(host)) {
        try {
          policy.check(host, host);
        } catch (refusal) {
          callback(refusal as Error, null);
          return;
        }
      }
      (policy.isListed(host) ? listedTls : publicTls)(options, callback);
    }),
  );
}
