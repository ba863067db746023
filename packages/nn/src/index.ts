/**
 * The lecture's neuron, network, losses and SGD on @dendrite/autograd, generalised: activations,
 * optimizers, TensorFlow Playground's data and experiments, reproducible training, model files.
 * @packageDocumentation
 * @module @dendrite/nn
 */
export { NeuralNetworkError } from './errors.js';
export { seededRandom, uniform, normal, shuffle, type Random } from './random.js';
export {
  activations,
  layerActivations,
  isActivation,
  isLayerActivation,
  type Activation,
  type LayerActivation,
} from './activations.js';
export { losses, lossNames, categoricalCrossEntropy, exampleLoss, type Loss } from './losses.js';
export { initializers, type Initializer, type InitializerName, type InitContext } from './init.js';
export { Neuron, Layer } from './layer.js';
export { Network, lectureNetwork, type NetworkOptions } from './network.js';
export {
  sgd,
  momentum,
  adam,
  optimizers,
  type Batch,
  type Optimizer,
  type OptimizerName,
} from './optimizers.js';
export {
  lectureData,
  lectureQueries,
  playgroundData,
  playgroundDatasets,
  features,
  toFeatures,
  fitNormalization,
  normalize,
  denormalize,
  targetsOf,
  split,
  type Example,
  type Feature,
  type Normalization,
  type PlaygroundDataset,
  type PlaygroundDataOptions,
} from './data.js';
export { meanLoss, meanLossOf, accuracy } from './metrics.js';
export {
  classificationMetrics,
  regressionMetrics,
  rocAuc,
  taskMetrics,
  type ClassMetrics,
  type ClassificationMetrics,
  type RegressionMetrics,
  type Metrics,
} from './evaluation.js';
export {
  guessTask,
  classIndices,
  outputFor,
  encodeClass,
  decodeClass,
  isOneHot,
  maxGuessedClasses,
  type Task,
} from './task.js';
export { parameterCount, networkMemory, dataMemory, gptMemory } from './memory.js';
export {
  gainsFromBatches,
  predictInBatches,
  smallestBatchedNetwork,
  widestBatch,
} from './batching.js';
export { train, trainer, type Trainer } from './train.js';
export {
  fitCategories,
  encodeRow,
  encodedWidth,
  encodedNames,
  type Categories,
} from './categories.js';
export {
  prepareExperiment,
  refitExperiment,
  experimentShape,
  splitRows,
  dealFolds,
  type Experiment,
  type ExperimentPlan,
} from './experiment.js';
export {
  type TrainOptions,
  type TrainResult,
  type LearningRateSchedule,
  type EpochReport,
  type StepReport,
  type Regularization,
} from './train-options.js';
export {
  saveModel,
  loadModel,
  toModelFile,
  preprocess,
  postprocess,
  type LoadedModel,
} from './model.js';
export {
  parseModelFile,
  rawInputSize,
  modelFormatVersion,
  type ModelFile,
  type ModelDetails,
  type DataSplit,
  type Preprocessing,
  type ModelNames,
} from './model-file.js';
export {
  parsePlaygroundUrl,
  readPlaygroundUrl,
  toPlaygroundHash,
  type PlaygroundSettings,
} from './playground-url.js';
export { playgroundExperiment, playgroundPlan, type PlaygroundExperiment } from './playground.js';
export {
  thumbnailPoint,
  decisionBoundary,
  classRegions,
  boundaryColor,
  classColor,
  axisTicks,
  iterationLabel,
  viewDomain,
  insidePlayground,
  playgroundDomain,
  type Domain,
} from './playground-view.js';
export {
  gptGraph,
  gptShapes,
  checkGptConfig,
  initialWeights,
  flatWeights,
  stateDict,
  vocabularySize,
  bos,
  microgptSizes,
  type GptConfig,
  type GptFile,
  type GptGraph,
  type StateDict,
} from './gpt.js';
export {
  gptTrainer,
  gptSampler,
  gptFromFile,
  gptToFile,
  vocabularyOf,
  encode,
  type Gpt,
  type GptTrainer,
  type GptSampler,
  type GptTrainingOptions,
} from './gpt-train.js';
