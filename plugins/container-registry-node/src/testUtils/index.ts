/**
 * A real registry server and an image pusher, for tests and the demo.
 *
 * @packageDocumentation
 */
export { startTestRegistry, REGISTRY_BINARY } from './TestRegistry';
export type { TestRegistry, TestRegistryOptions } from './TestRegistry';
export { RegistryPusher } from './RegistryPusher';
export type { Descriptor } from './RegistryPusher';
export {
  pushDockerImage,
  pushOciImage,
  pushOciIndex,
  pushDockerManifestList,
} from './images';
export type { ExpectedImage, ImageOptions, PlatformSpec } from './images';
export { seedDemoImages, seedRepositories } from './seed';
export { freePort, createSelfSignedCertificate } from './network';
