/** The OpenAPI 3.1 description of what the server serves, at `GET /openapi.json`. */
export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'dendrite prediction server',
    version: '1',
    description:
      'Predictions from dendrite models: the Open Inference Protocol (KServe V2) REST API and TensorFlow Serving style :predict. Every error is {"error": "..."}.',
  },
  paths: {
    '/v2/health/live': {
      get: { summary: 'Liveness', responses: { 200: { description: '{"live": true}' } } },
    },
    '/v2/health/ready': {
      get: {
        summary: 'Readiness',
        responses: {
          200: { description: '{"ready": true}' },
          503: { description: 'shutting down' },
        },
      },
    },
    '/v2': {
      get: {
        summary: 'Server metadata',
        responses: { 200: { description: '{"name", "version", "extensions"}' } },
      },
    },
    '/v2/models/{model}': {
      get: {
        summary: 'Model metadata (also under /versions/{version})',
        responses: {
          200: {
            description:
              'name, versions, platform, inputs, outputs; parameters.columns names the columns, parameters.classes the classes',
          },
          404: { description: 'unknown model' },
        },
      },
      put: {
        summary:
          'Add or replace an uploaded model: the body is a dendrite model file (as the Playground page sends)',
        responses: {
          200: { description: 'replaced; its metadata' },
          201: { description: 'added; its metadata' },
          400: { description: 'an invalid model file or name' },
          403: { description: 'uploads are off' },
          409: { description: "one of the server's own models, or the upload limit is reached" },
          415: { description: 'not JSON' },
        },
      },
    },
    '/v2/models/{model}/ready': {
      get: {
        summary: 'Model readiness',
        responses: {
          200: { description: '{"name", "ready": true}' },
          404: { description: 'unknown model' },
          503: { description: 'shutting down' },
        },
      },
    },
    '/v2/models/{model}/infer': {
      post: {
        summary:
          'Inference: one input "input" of shape [batch, inputSize] (FP32 or FP64), flat or nested data',
        responses: {
          200: {
            description:
              'output "output" of shape [batch, outputSize], FP64; a classifier adds "class", [batch], BYTES: the class names',
          },
          400: { description: 'bad request or tensor' },
          404: { description: 'unknown model or version' },
          413: { description: 'body too large' },
          415: { description: 'not JSON' },
          500: { description: 'the model gave a non-finite output' },
          503: { description: 'shutting down' },
        },
      },
    },
    '/v1/models/{model}:predict': {
      post: {
        summary:
          'TensorFlow Serving style: {"instances": [[...]]} → {"predictions": [[...]]}, or inputs → outputs',
        responses: {
          200: { description: 'predictions' },
          400: { description: 'bad request' },
          404: { description: 'unknown model' },
        },
      },
    },
    '/v1/models/{model}': {
      get: {
        summary: 'TensorFlow Serving style model status',
        responses: { 200: { description: 'model_version_status' } },
      },
    },
  },
} as const;
