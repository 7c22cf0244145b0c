export { RegistryFormDialog } from './RegistryFormDialog';
export { ConnectionTestVerdict } from './ConnectionTestVerdict';
