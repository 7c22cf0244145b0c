import { Route, Routes } from 'react-router-dom';
import { RegistriesPage } from './RegistriesPage';
import { RegistryPage } from './RegistryPage';

/** The plugin's pages: the list of registries and each registry's own view under its id. */
export const Router = () => (
  <Routes>
    <Route path="/" element={<RegistriesPage />} />
    <Route path="/:id" element={<RegistryPage />} />
  </Routes>
);
