export { MAX_RFC3339_LENGTH, normalizeRfc3339 } from './rfc3339';
