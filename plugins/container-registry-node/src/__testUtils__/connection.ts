import { DEFAULT_TRANSPORT, RegistryConnection } from '../connection/types';

/** A connection to a test server with fast retries and small timeouts. */
export function testConnection(
  url: string,
  overrides: Partial<Omit<RegistryConnection, 'transport'>> & {
    transport?: Partial<RegistryConnection['transport']>;
  } = {},
): RegistryConnection {
  return {
    id: 'test',
    name: 'Test',
    type: 'generic',
    url,
    auth: { type: 'auto' },
    repositories: [],
    options: {},
    ...overrides,
    transport: {
      ...DEFAULT_TRANSPORT,
      readTimeoutMs: 2000,
      ...overrides.transport,
    },
  };
}
