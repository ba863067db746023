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
          'A load with a body: the dendrite model file, written into the repository as the next version (needs the admin token)',
        responses: {
          200: { description: 'a new version of a known model; its metadata' },
          201: { description: 'a new model; its metadata' },
          400: { description: 'an invalid model file or name' },
          401: { description: 'no or a wrong admin token (Authorization: Bearer …)' },
          403: { description: 'writes are off: no --admin-token, or no repository' },
          409: { description: 'the limit of new models (--uploads) is reached' },
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
          422: { description: 'the model gave a non-finite output' },
          503: { description: 'the model version is loading, or unavailable' },
        },
      },
    },
    '/v2/models/{model}/stats': {
      get: {
        summary: 'Statistics extension: per version, inference and execution counts and times',
        responses: {
          200: { description: '{"model_stats": [...]}' },
          404: { description: 'unknown model' },
        },
      },
    },
    '/v2/repository/index': {
      post: {
        summary:
          'Model repository extension: every model version and its state ({"ready": true} for ready ones only)',
        responses: { 200: { description: '[{"name", "version", "state", "reason"}]' } },
      },
    },
    '/v2/repository/models/{model}/load': {
      post: {
        summary:
          'Load a model from the repository, or with {"parameters": {"model": <model file>}} (or Triton\'s "file:1/model.json": base64) as a new version (needs the admin token)',
        responses: {
          200: { description: '{"name", "version", "state", "reason"}' },
          400: { description: 'an invalid model file, or it did not load' },
          401: { description: 'no or a wrong admin token' },
          403: { description: 'writes are off' },
          404: { description: 'no such model in the repository' },
        },
      },
    },
    '/v2/repository/models/{model}/unload': {
      post: {
        summary: 'Stop serving a model on every replica; its files stay (needs the admin token)',
        responses: { 200: { description: 'unloaded' }, 404: { description: 'unknown model' } },
      },
    },
    '/metrics': {
      get: {
        summary:
          'Prometheus metrics: requests and latency by route, model and status; inferences and rows; load failures; process',
        responses: { 200: { description: 'text/plain; version=0.0.4' } },
      },
    },
    '/v1/models/{model}:predict': {
      post: {
        summary:
          'TensorFlow Serving style: {"instances": [[...]]} → {"predictions": [[...]]}, or inputs → outputs; a classifier\'s predictions are {"output": [...], "class": "..."} objects (columns: {"outputs": {"output": [...], "class": [...]}})',
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
