export { RegistryHttpClient } from './RegistryHttpClient';
export type {
  RegistryRequest,
  RegistryResponse,
  RequestPayload,
} from './RegistryHttpClient';
export { RequestStats } from './RequestStats';
export type { RequestKind } from './RequestStats';
export { parseNextLink } from './linkHeader';
export { parseAuthChallenge } from './challenge';
export type { AuthChallenge } from './challenge';
