/**
 * A real registry server and an image pusher, for tests and the demo.
 *
 * @packageDocumentation
 */
export { startTestRegistry, REGISTRY_BINARY } from './TestRegistry';
export type { TestRegistry, TestRegistryOptions } from './TestRegistry';
export { RegistryPusher, sha256Digest } from './RegistryPusher';
export type {
  BlobDescriptor,
  Descriptor,
  RegistryAddress,
} from './RegistryPusher';
export {
  pushDockerImage,
  pushOciImage,
  pushOciIndex,
  pushDockerManifestList,
} from './images';
export type {
  ExpectedImage,
  ImageOptions,
  MultiPlatformOptions,
  PlatformSpec,
} from './images';
export { seedDemoImages, seedRepositories } from './seed';
export { freePort, createSelfSignedCertificate } from './network';
