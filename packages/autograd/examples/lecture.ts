/**
 * The lecture's backpropagation step, done by the engine: build the 2-2-1 sigmoid network as a
 * graph, let backward and grad find dL/dw1, and set it beside the lecture's hand-derived value.
 * Run it with `pnpm start` from the repository root.
 */
import { add, grad, latex, mul, pow, sigmoid, sub, variable } from '@dendrite/autograd';

// Alice, shifted as in the lecture: weight − 135 lb = -2, height − 66 in = -1; female = 1.
const x1 = variable(-2, 'x1');
const x2 = variable(-1, 'x2');
const y = variable(1, 'y');

// Every weight 1 and every bias 0, as in the lecture's worked step.
const w1 = variable(1, 'w1');
const w2 = variable(1, 'w2');
const w3 = variable(1, 'w3');
const w4 = variable(1, 'w4');
const w5 = variable(1, 'w5');
const w6 = variable(1, 'w6');
const b1 = variable(0, 'b1');
const b2 = variable(0, 'b2');
const b3 = variable(0, 'b3');

const h1 = sigmoid(add(add(mul(w1, x1), mul(w2, x2)), b1));
const h2 = sigmoid(add(add(mul(w3, x1), mul(w4, x2)), b2));
const o1 = sigmoid(add(add(mul(w5, h1), mul(w6, h2)), b3));
h1.label = 'h1';
h2.label = 'h2';
o1.label = 'o1';
const loss = pow(sub(y, o1), 2); // the MSE of one sample, as the lecture defines it (no ½)

loss.backward();
const dLdw1 = grad(loss, w1);

// The lecture's hand-derived chain rule, in plain numbers: σ'(t) = σ(t)(1 - σ(t)).
const slope = (s: number) => s * (1 - s);
const handDerived =
  -2 * (y.value - o1.value) * w5.value * slope(o1.value) * x1.value * slope(h1.value);

console.log(`Alice (x1 = ${x1.value}, x2 = ${x2.value}, y = ${y.value}), all weights 1, biases 0`);
console.log(`  o1 = ${o1.value}`);
console.log(`  L  = ${loss} = ${loss.value}`);
console.log();
console.log('dL/dw1, derived by the engine as a graph:');
console.log(`  ${dLdw1}`);
console.log(`  LaTeX: ${latex(dLdw1)}`);
console.log();
console.log(`  automatic (backward):   ${w1.grad}`);
console.log(`  automatic (symbolic):   ${dLdw1.value}`);
console.log(`  hand-derived (lecture): ${handDerived}`);
console.log(`  difference:             ${Math.abs(w1.grad - handDerived)}`);
