/**
 * A typical micrograd-style port, the comparison point for `tree.ts`: an object and a closure
 * per node, a Set of parents, and a recursive topological sort (as in micrograd's engine.py).
 */
export class MicroValue {
  grad = 0;
  backwardStep: () => void = () => {};
  readonly parents: Set<MicroValue>;

  constructor(
    public data: number,
    children: MicroValue[] = [],
    public op = '',
  ) {
    this.parents = new Set(children);
  }

  add(other: MicroValue): MicroValue {
    const out = new MicroValue(this.data + other.data, [this, other], '+');
    out.backwardStep = () => {
      this.grad += out.grad;
      other.grad += out.grad;
    };
    return out;
  }

  mul(other: MicroValue): MicroValue {
    const out = new MicroValue(this.data * other.data, [this, other], '*');
    out.backwardStep = () => {
      this.grad += other.data * out.grad;
      other.grad += this.data * out.grad;
    };
    return out;
  }

  sigmoid(): MicroValue {
    const s = 1 / (1 + Math.exp(-this.data));
    const out = new MicroValue(s, [this], 'sigmoid');
    out.backwardStep = () => {
      this.grad += s * (1 - s) * out.grad;
    };
    return out;
  }

  tanh(): MicroValue {
    const t = Math.tanh(this.data);
    const out = new MicroValue(t, [this], 'tanh');
    out.backwardStep = () => {
      this.grad += (1 - t * t) * out.grad;
    };
    return out;
  }

  backward(): void {
    const topo: MicroValue[] = [];
    const visited = new Set<MicroValue>();
    const build = (v: MicroValue) => {
      if (!visited.has(v)) {
        visited.add(v);
        for (const child of v.parents) build(child);
        topo.push(v);
      }
    };
    build(this);
    this.grad = 1;
    for (const v of topo.reverse()) v.backwardStep();
  }
}
