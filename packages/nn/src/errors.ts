/** A problem with what was asked of `@dendrite/nn` (a bad option, data or model file), said plainly. */
export class NeuralNetworkError extends Error {
  override readonly name = 'NeuralNetworkError';
}
