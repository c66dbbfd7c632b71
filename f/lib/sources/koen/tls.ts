// The trust store of the KOEN client. koenergy.kr sends only its leaf certificate (DOMAIN §2.2), so
// for that host — and only there — the shipped intermediate is added to the system roots. The
// process-wide trust store is never touched; other hosts get exactly what the caller passes.
import { readFileSync } from "node:fs";
import tls from "node:tls";
import { TURINGSIGN_RSA_SECURE_CA_2_PEM } from "./ca_gen.ts";

export const KOEN_SITE_DOMAIN = "koenergy.kr";

export function isKoenHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, "");
  return h === KOEN_SITE_DOMAIN || h.endsWith(`.${KOEN_SITE_DOMAIN}`);
}

/** Certificates added to the roots for a host by default: the TuringSign intermediate for koenergy.kr. */
export function defaultExtraCa(hostname: string): string[] {
  return isKoenHost(hostname) ? [TURINGSIGN_RSA_SECURE_CA_2_PEM] : [];
}

/**
 * The `ca` list of the agent: the roots plus the extra certificates. Default roots: the runtime's
 * bundled roots and, as Node itself would trust them, the certificates of NODE_EXTRA_CA_CERTS.
 */
export function trustStore(opts: { hostname: string; extraCa?: string[]; trustedRoots?: string[] }): { ca: string[]; extra: string[] } {
  const extra = opts.extraCa ?? defaultExtraCa(opts.hostname);
  const roots = opts.trustedRoots ?? [...tls.rootCertificates, ...nodeExtraCaCerts()];
  return { ca: [...roots, ...extra], extra };
}

function nodeExtraCaCerts(): string[] {
  const file = process.env.NODE_EXTRA_CA_CERTS;
  if (!file) return [];
  try {
    return readFileSync(file, "utf8").match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  } catch {
    return [];
  }
}
