/**
 * The lecture's neuron, network, losses and SGD on @dendrite/autograd, generalised: activations,
 * optimizers, TensorFlow Playground's data and experiments, reproducible training, model files.
 * @packageDocumentation
 * @module @dendrite/nn
 */
export { NeuralNetworkError } from './errors.js';
export { seededRandom, uniform, normal, shuffle, type Random } from './random.js';
export { activations, isActivation, type Activation } from './activations.js';
export { losses, type Loss } from './losses.js';
export { initializers, type Initializer, type InitializerName, type InitContext } from './init.js';
export { Neuron, Layer, Network, lectureNetwork, type NetworkOptions } from './network.js';
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
  split,
  type Example,
  type Feature,
  type Normalization,
  type PlaygroundDataset,
  type PlaygroundDataOptions,
} from './data.js';
export { meanLoss, meanLossOf, accuracy } from './metrics.js';
export { parameterCount, networkMemory, dataMemory } from './memory.js';
export { train, trainer, type Trainer } from './train.js';
export {
  prepareExperiment,
  experimentShape,
  type Experiment,
  type ExperimentPlan,
} from './experiment.js';
export {
  type TrainOptions,
  type TrainResult,
  type EpochReport,
  type StepReport,
  type Regularization,
} from './train-options.js';
export {
  saveModel,
  loadModel,
  toModelFile,
  preprocess,
  rawInputSize,
  modelFormatVersion,
  type ModelFile,
  type Preprocessing,
  type ModelNames,
} from './model.js';
export {
  parsePlaygroundUrl,
  playgroundExperiment,
  playgroundPlan,
  toPlaygroundHash,
  type PlaygroundSettings,
  type PlaygroundExperiment,
} from './playground.js';
export {
  thumbnailPoint,
  decisionBoundary,
  boundaryColor,
  iterationLabel,
} from './playground-view.js';
