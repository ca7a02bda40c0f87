// Assembles the Hosting service: the Lambda entry, the local platform, mock mode and tests all build
// it here, over the table they are given. TXT lookups and certificates come from the settings, or
// from `adapters` in tests.
import { hostingContract } from '#connectors/contracts/hosting';
import { createServiceHandler, type CreateService } from '#functions/shared/service-handler';
import { settingsOf } from '#functions/shared/env';
import { fileDns, systemDns } from './dns.ts';
import { createHostingOperations, type CertificateIssuer, type TxtResolver } from './operations.ts';
import { createHostingStore } from './store.ts';
/** Its part in removing a tenant (README "Removing a tenant"). */
export { purgeHook } from './purge.ts';

export interface HostingAdapters {
  dns: TxtResolver;
  certificates: CertificateIssuer;
  now: () => Date;
}

/** On AWS until the edge certificate automation exists (see README): a verified domain's TLS stays `issuing`. */
export const pendingEdgeCertificates: CertificateIssuer = { request: async () => ({ status: 'issuing' }) };
/** Where there is no edge to configure (local platform, mock mode): a certificate is active at once. */
export const immediateCertificates: CertificateIssuer = {
  request: async () => ({ status: 'active', expiresAt: new Date(Date.now() + 90 * 86_400_000).toISOString() }),
};

/**
 * Settings: `DNS_FILE` (a JSON file of TXT records instead of real DNS, for the local platform) and
 * `TLS_CERTIFICATES` (`edge`, the default, or `immediate`).
 */
export const createService: CreateService<HostingAdapters> = ({ table, logger, settings }, adapters = {}) => {
  const dnsFile = settings.DNS_FILE;
  const tls = settingsOf(settings).oneOf('TLS_CERTIFICATES', ['edge', 'immediate'], 'edge');
  const operations = createHostingOperations({
    store: createHostingStore(table),
    dns: adapters.dns ?? (dnsFile ? fileDns(dnsFile) : systemDns),
    certificates: adapters.certificates ?? (tls === 'immediate' ? immediateCertificates : pendingEdgeCertificates),
    now: adapters.now,
  });
  return createServiceHandler(hostingContract, operations, logger);
};
