import type { NumericTransportSetting } from '@container-inventory/plugin-container-registry-common';

/** How the form and the settings card name each numeric transport setting. */
export const TRANSPORT_LABELS: Record<NumericTransportSetting, string> = {
  maxConnections: 'Max connections',
  maxKeepAliveConnections: 'Max keep-alive connections',
  keepAliveExpiry: 'Keep-alive expiry',
  pageSize: 'Page size',
  connectTimeout: 'Connect timeout',
  poolTimeout: 'Pool timeout',
  readTimeout: 'Read timeout',
  writeTimeout: 'Write timeout',
  requestTimeout: 'Request timeout',
  maxRequestsPerSecond: 'Max requests per second',
};
