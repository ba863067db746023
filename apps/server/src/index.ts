export { createApp, type AppOptions, type AppControls } from './app.js';
export { Catalog, type CatalogOptions, type CatalogEvents, type VersionState } from './catalog.js';
export { lectureModel, serve, type ServedModel, type ModelDescription } from './models.js';
export {
  addVersion,
  scanRepository,
  setUnloaded,
  type RepositoryScan,
} from '@dendrite/nn/repository';
export { defaultAllowedHosts } from './security.js';
export { HttpError } from './errors.js';
