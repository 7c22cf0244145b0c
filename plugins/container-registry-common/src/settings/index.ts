export * from './defaults';
export * from './cron';
export * from './schema';
export * from './validate';
export * from './views';
