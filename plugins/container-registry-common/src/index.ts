/**
 * Types, permissions and the ContainerImage entity kind shared by the container registry plugins.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './permissions';
export * from './entity';
export * from './dates';
export * from './settings';
export * from './adapters';
export * from './filters';
