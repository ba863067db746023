export { createApp, type AppOptions, type AppControls } from './app.js';
export {
  lectureModel,
  loadModelDirectory,
  serve,
  predictRow,
  type ServedModel,
  type ModelDirectory,
} from './models.js';
export { HttpError } from './errors.js';
