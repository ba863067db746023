// The sizes section of BENCHMARKS.md: what the sizes benchmark measures, its tables, and what the
// figures mean (kept apart from run.ts, which writes the whole file).

/** The section around the sizes benchmark's tables (see sizes.ts). */
export function sizesSection(sizes: string): string {
  return `## Sizes: training at every size, against the hand-written loop, PyTorch and the peers

Multilayer perceptrons, tanh hidden layers, a tanh output with half squared error or a softmax
with cross-entropy; SGD on mini-batches of 10 (and below, of 32) at 0.01 over 256 random examples
(the same for all, from the same starting weights), and each epoch's mean loss. µs per example and
epoch: one training pass and one forward pass. Fresh processes, three rounds, medians; at least 10
epochs, about a second of the hand loop's work, so the larger shapes' figures include V8 warming
up. The hand-written loop runs a mini-batch one example at a time. dendrite trains on the tape
swept backwards (reverse mode, each neuron's sum one \`dot\` node run as a loop): a network of
under 150 parameters one example at a time, its tape written out as one function (mode code);
a larger one a mini-batch at once (the batched engine: every example in a lane of its own, each
neuron's loops WebAssembly SIMD, mode simd), with the very numbers of one example at a time, as
the final losses show. The build is timed cold, in a fresh process; its share of 10 epochs is
against ten epochs at the run's mean speed, and of the first 10 epochs as run against the first
ten as they ran, while V8 was still compiling the training code. The peers run once per shape:
PyTorch 1.13 (Debian's \`python3-torch\`, float64, one thread, \`nn.Linear\` layers and
\`torch.optim.SGD\` on the same batches; its final loss agrees with dendrite's to the last bit or
two) and jax-js 0.1 (float64 on its WebAssembly device, \`jit(valueAndGrad(loss))\` a batch), and in
float32 TensorFlow.js (CPU backend, the same batches; its loss comes with the training pass, no
second forward pass) and brain.js (per-sample updates only and no loss pass, so it does less work
per example; one activation for every layer, so tanh outputs with squared error in place of
softmax). \`pnpm --filter @dendrite/bench install-peers\` installs PyTorch; a peer that is missing
is skipped with a note. \`pnpm --filter @dendrite/bench sizes --large\` adds 784-1024-10 (814,090
parameters).

${sizes}

Against PyTorch: dendrite is ahead on small networks, where PyTorch pays about 7–20 µs of
overhead per example and batch, and behind from a few thousand parameters on, by up to about 2.5×
at mini-batches of 10 and 3–4× at 32 in this table (the ratios move by 10–20% from run to run). Two
things make up the gap. Warming up: with 10 epochs the mid-sized shapes spend about half their
time before V8 has optimised the lanes' JavaScript (64-64-10 at 32 runs its first epoch at ~90 µs
an example and then ~7.3 once warm, against PyTorch's 6.7–10.5; 784-32-10 at ~21 once warm,
against 9.7–10.1). And arithmetic: to give the numbers of one example at a time, the loops multiply
and add separately in 128-bit vectors (two doubles an instruction), where PyTorch's BLAS fuses them
in 256-bit ones; the loops reach about 0.12–0.2 ns a multiply-add, near that limit.

784-1024-10 (814,090 parameters), one run each, two runs on 2026-12-07 (the machine's speed drifts
about 10% between runs): at mini-batches of 10, the hand loop 3,660–3,873 µs per example, dendrite
795–821 µs (4.6–4.8× as fast; 5,144 µs one example at a time before the batched engine), PyTorch
279 µs; at 32, the hand loop 3,457–3,698 µs, dendrite 534–591 µs (5.8–6.9× as fast), PyTorch 173
µs. dendrite's build 0.56–0.68 s. Peak RSS at 32: hand loop 208–213 MB, dendrite 295 MB (the
network's 814,090 Values are in both; dendrite's tape and its compile's short-lived arrays are the
rest), PyTorch 312 MB. Final losses: hand loop 0.27808384012364484, dendrite 0.27808384012364473
(the compiled engine's exactly), PyTorch 0.2780838401236447.
784-2048-10 (1,628,170 parameters) trains too: build 1.36 s, 10,715 µs per example one at a time,
peak RSS 526 MB. (Before each neuron's sum became one \`dot\` node: 784-1024-10 built in 1.8 s and
peaked at 614 MB, 784-2048-10 in 4.8 s and 1.16 GB.)

Where the batched engine's time goes, measured when it was built (784-32-10, mini-batches of 32,
warm): the WebAssembly loops about 40% (forward, for training and for the loss pass, and the
weights' gradients), the lanes' JavaScript (inputs copied into lanes, tanh and the softmax,
bias terms) about 35%, the SGD update 10–15% (a pass over every parameter per batch), the rest
the trainer. Pairing a layer's neurons (each input loaded once for two) made 784-1024-10 1.3×
faster; WebAssembly made the neurons' loops 3–4× faster than the same loops in JavaScript
(0.7 ns a multiply-add), which were themselves 1.8× the per-example hand loop's.

Where the engine switches paths, as measured when each threshold was set. \`compile\` generates
code for a graph of up to 3,000 nodes and runs a larger one on the tape: V8 stops optimising a
generated function somewhere above it (2-20-20-1's loss and gradients, 2,898 nodes, 2.3 µs as code
and 18 µs on the tape; 2-24-24-1's, 4,050 nodes, 51 µs as code and 26 µs on the tape).
\`compileGradients\` writes a tape out as one function of up to 16,000 characters: V8 optimises one
of up to 60 KB of bytecode (about 35,000 characters), but the larger the function, the longer it
runs unoptimised first (2-12-12-1 with every sum written out, 17,700 characters, trained 10% faster
than with its long sums called, but its first ten epochs took 90 ms instead of 44, and 37 on the
interpreted tape); 2-8-8-1 fits with every sum written out, 2-16-16-1 with its sums of up to 8
pairs written out and its longer ones called, and a larger network's tape is interpreted, its time
going to the sums' loops anyway (2-32-32-1 written out trained no faster, and started 25 ms
slower).
`;
}
