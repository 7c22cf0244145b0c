export * from './mediaTypes';
export * from './digest';
export * from './parseManifest';
