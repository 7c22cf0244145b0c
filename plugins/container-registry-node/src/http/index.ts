export { RegistryHttpClient } from './RegistryHttpClient';
export type { RegistryRequest, RegistryResponse } from './RegistryHttpClient';
export { RequestStats } from './RequestStats';
export type { RequestKind } from './RequestStats';
export { parseNextLink } from './linkHeader';
export { parseAuthChallenge } from './challenge';
export type { AuthChallenge } from './challenge';
