export * from './ContainerImageEntity';
export * from './containerImageSchema';
export * from './entityName';
