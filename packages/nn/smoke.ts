import {
  lectureNetwork,
  lectureData,
  lectureQueries,
  train,
  playgroundData,
  Network,
  accuracy,
} from './src/index.ts';
let t = performance.now();
const net = lectureNetwork({ seed: 1 });
const h = train(net, lectureData, {
  epochs: 1000,
  learningRate: 0.1,
  onEpoch: ({ epoch, trainLoss }) => {
    if (epoch % 250 === 0) console.log(epoch, trainLoss);
  },
});
console.log(
  'time',
  (performance.now() - t).toFixed(0),
  'ms',
  'final',
  h.trainLoss.at(-1),
  'Emily',
  net.predict(lectureQueries.Emily),
  'Frank',
  net.predict(lectureQueries.Frank),
);
for (const name of ['xor', 'circle', 'gauss'] as const) {
  t = performance.now();
  const data = playgroundData(name, { seed: 2 });
  const n = new Network([2, 8, 8, 1], { activation: 'tanh', init: 'playground', seed: 3 });
  train(n, data, { epochs: 100, learningRate: 0.03, batchSize: 10, loss: 'halfSquaredError' });
  console.log(name, 'acc', accuracy(n, data), 'time', (performance.now() - t).toFixed(0));
}
