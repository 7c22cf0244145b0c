export * from './patterns';
export * from './applyImageFilters';
