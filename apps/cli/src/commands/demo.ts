import { formula, grad, variable } from '@dendrite/autograd';
import {
  lectureData,
  lectureNetwork,
  lectureQueries,
  losses,
  meanLoss,
  train,
  type Network,
} from '@dendrite/nn';
import type { Command } from 'commander';
import type { Io } from '../io.js';
import { positiveNumber, wholeNumber } from '../options.js';
import { json, table } from '../text.js';

interface DemoOptions {
  seed: string;
  epochs: number;
  learningRate: number;
  every: number;
  json?: boolean;
}

/** `dendrite demo`: the lecture end to end, from training to the chain rule. */
export function registerDemo(program: Command, io: Io): void {
  program
    .command('demo')
    .summary(
      'the lecture end to end: train its 2-2-1 network, predict Emily and Frank, derive dL/dw1',
    )
    .description(
      'Runs the lecture: trains its 2-2-1 sigmoid network on Alice, Bob, Charlie and Diana (MSE loss,' +
        ' per-sample SGD), printing the loss every 10 epochs as the lecture does; predicts Emily and Frank;' +
        " then prints dL/dw1 as the engine derives it, a formula in the lecture's names, with its value" +
        " beside the lecture's hand-derived one. The seed fixes the starting weights, so runs repeat.",
    )
    .option('--seed <seed>', 'seed of the starting weights', '1')
    .option('--epochs <n>', 'passes over the four people', wholeNumber(1), 1000)
    .option('--learning-rate <rate>', 'the SGD step size', positiveNumber, 0.1)
    .option('--every <n>', 'print the loss every n epochs', wholeNumber(1), 10)
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      `
Examples:
  $ dendrite demo
  $ dendrite demo --seed 7 --epochs 200 --every 50`,
    )
    .action((options: DemoOptions) => {
      const { seed, epochs, learningRate, every } = options;
      const network = lectureNetwork({ seed });
      const printed: { epoch: number; loss: number }[] = [];
      const say = (line = '') => {
        if (!options.json) io.stdout.write(`${line}\n`);
      };
      say(
        "The lecture's network: inputs weight − 135 lb and height − 66 in, 2 sigmoid neurons, 1 sigmoid output.",
      );
      say(
        `Trained on Alice, Bob, Charlie and Diana: MSE loss, per-sample SGD, learning rate ${learningRate}, ${epochs} epochs, seed ${seed}.`,
      );
      say();
      train(network, lectureData, {
        epochs,
        learningRate,
        onEpoch: ({ epoch, trainLoss }) => {
          if (epoch % every !== 0) return;
          printed.push({ epoch, loss: trainLoss });
          say(`Epoch ${epoch} loss: ${trainLoss.toFixed(3)}`);
        },
      });

      const predictions = {
        Emily: network.predict(lectureQueries.Emily)[0]!,
        Frank: network.predict(lectureQueries.Frank)[0]!,
      };
      say();
      say(
        `Emily (128 lb, 63 in): ${predictions.Emily.toFixed(3)}  → ${predictions.Emily >= 0.5 ? 'F' : 'M'}`,
      );
      say(
        `Frank (155 lb, 68 in): ${predictions.Frank.toFixed(3)}  → ${predictions.Frank >= 0.5 ? 'F' : 'M'}`,
      );

      const worked = lectureNetwork();
      for (const p of worked.parameters()) p.value = p.label!.startsWith('w') ? 1 : 0;
      const workedStep = dLdw1(worked);
      const trained = dLdw1(network);
      if (options.json) {
        io.stdout.write(
          json({
            seed,
            epochs,
            learningRate,
            loss: printed,
            finalLoss: meanLoss(network, lectureData),
            predictions,
            dLdw1: {
              formula: workedStep.formula,
              workedStep: workedStep.values,
              trained: trained.values,
            },
          }),
        );
        return;
      }
      say();
      say('Backpropagation for Alice (x1 = -2, x2 = -1, y = 1), derived by the engine as a graph:');
      say(`  dL/dw1 = ${workedStep.formula}`);
      say();
      const row = (name: string, pick: (v: typeof workedStep.values) => number) => [
        name,
        String(pick(workedStep.values)),
        String(pick(trained.values)),
      ];
      say(
        table([
          ['', "lecture's step (weights 1, biases 0)", 'trained network'],
          row('  automatic (engine)', (v) => v.engine),
          row('  hand-derived (lecture)', (v) => v.handDerived),
          row('  difference', (v) => Math.abs(v.engine - v.handDerived)),
        ]),
      );
    });
}

/** dL/dw1 for Alice at the network's parameters: the engine's graph and the lecture's formula. */
function dLdw1(network: Network) {
  const [x1, x2, y] = [-2, -1, 1];
  const [o1] = network.forward([variable(x1, 'x1'), variable(x2, 'x2')]);
  const loss = losses.mse(o1!, variable(y, 'y'));
  const w1 = network.parameters()[0]!;
  const derivative = grad(loss, w1);

  // The lecture's chain rule in plain numbers: dL/dw1 = dL/do1 · w5 σ'(sum_o1) · x1 σ'(sum_h1).
  const p = Object.fromEntries(network.parameters().map((q) => [q.label!, q.value]));
  const sigmoid = (t: number) => 1 / (1 + Math.exp(-t));
  const slope = (s: number) => s * (1 - s); // σ'(t) = σ(t)(1 − σ(t))
  const h1 = sigmoid(p.w1! * x1 + p.w2! * x2 + p.b1!);
  const h2 = sigmoid(p.w3! * x1 + p.w4! * x2 + p.b2!);
  const out = sigmoid(p.w5! * h1 + p.w6! * h2 + p.b3!);
  const handDerived = -2 * (y - out) * p.w5! * slope(out) * x1 * slope(h1);
  return { formula: formula(derivative), values: { engine: derivative.value, handDerived } };
}
