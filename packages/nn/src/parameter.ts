import { Variable } from '@dendrite/autograd';

/**
 * A network's weight or bias: a Variable labelled `w7` or `b3` by its number, the label written
 * only when asked for (a network of a million parameters need not make a million strings).
 */
export class Parameter extends Variable {
  constructor(
    value: number,
    /** Its number among the network's weights (from 1), or minus its number among the biases. */
    private readonly number: number,
  ) {
    super(value);
  }
}

// An accessor on the prototype, which a label given later (an own property) replaces.
Object.defineProperty(Parameter.prototype, 'label', {
  get(this: { number: number }): string {
    return this.number > 0 ? `w${this.number}` : `b${-this.number}`;
  },
  set(this: Parameter, label: string | undefined): void {
    Object.defineProperty(this, 'label', { value: label, writable: true, enumerable: true });
  },
});
