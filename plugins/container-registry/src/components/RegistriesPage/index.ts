export { RegistriesPage } from './RegistriesPage';
