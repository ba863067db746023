/** The error the engine throws for misuse it can name: wrong arity, a non-Value input, a cycle, a non-finite gradient. */
export class AutogradError extends Error {
  override readonly name = 'AutogradError';
}
