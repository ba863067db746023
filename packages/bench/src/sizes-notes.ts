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
overhead per example and batch, level around 2-64-64-1 at mini-batches of 10, and behind from a
few thousand parameters on, by about 2× at mini-batches of 10 and 2–4× at 32 in this table (the
ratios move by 10–20% from run to run). Three things make up the gap, and the first two cannot be
closed while every number stays the one of one example at a time. Arithmetic: the loops multiply
and add separately in 128-bit vectors (WebAssembly has no wider ones), at most 4 multiply-adds a
cycle on this machine's cores (10.4 G a second at 2.6 GHz), where PyTorch's BLAS fuses them in
256-bit ones, 8 a cycle; at 784-1024-10 and 32 PyTorch does its 2.44 million multiply-adds an
example (two forward passes and the weights' gradients) at 11–14 G a second, faster than the 128-bit
limit, and the loops reach 6.7–8 G. Activations: tanh must be V8's own \`Math.tanh\` to give the
same bits, about 15 ns a call, so 64-64-10 spends about 2 µs an example in it, a third of
PyTorch's whole time there. Warming up: with 10 epochs the mid-sized shapes spend a third to a half
of their time before V8 has optimised the lanes' JavaScript (64-64-10 at 32 runs its first epoch at
~70–140 µs an example and then 8–13 once warm, against PyTorch's 6.8–9; 784-32-10 at 19–24 once
warm, against 10).

784-1024-10 (814,090 parameters; \`sizes --large\` runs it, one run each, as the last row above
on 2026-12-07): at mini-batches of 10 the hand loop 3,513 µs an example, dendrite 634 (5.5× as
fast; 5,144 one example at a time before the batched engine), PyTorch 276; at 32, 3,488, 545 (6.4×)
and 181. Earlier runs that day, the machine's speed drifting 10–25%: at 10, the hand loop
3,660–3,968 µs and dendrite 740–905; at 32, 3,457–4,909 and 534–591; PyTorch 224–398 at 10 and
173–225 at 32. dendrite's build 0.5–0.7 s. Peak RSS at 32 (\`/usr/bin/time\`, the sizes workers,
three runs each): hand loop 206–214 MB, dendrite 262–274 MB (294–295 before the pair lists and the
tape's sums were made at their size; the network's 814,090 Values, about 146 MB, are in both),
PyTorch 312 MB. Final losses: hand loop and dendrite 0.2780838401 at 10 and 1.207933178 at 32,
PyTorch's to the last bit or two.
784-2048-10 (1,628,170 parameters) trains too: build 1.36 s, 10,715 µs per example one at a time,
peak RSS 526 MB. (Before each neuron's sum became one \`dot\` node: 784-1024-10 built in 1.8 s and
peaked at 614 MB, 784-2048-10 in 4.8 s and 1.16 GB.)

Where the batched engine's time goes, measured when it was built (784-32-10, mini-batches of 32,
warm): the WebAssembly loops about 40% (forward, for training and for the loss pass, and the
weights' gradients), the lanes' JavaScript (tanh and the softmax, bias terms) about 35%, the SGD
update 10–15% (a pass over every parameter per batch), the rest the trainer. Pairing a layer's
neurons (each input loaded once for two) made 784-1024-10 1.3× faster; WebAssembly made the
neurons' loops 3–4× faster than the same loops in JavaScript (0.7 ns a multiply-add), which were
themselves 1.8× the per-example hand loop's. Putting a batch's inputs into lanes by a WebAssembly
loop (and reading a first layer's inputs as given for its weights' gradients, not transposed back)
made 784-32-10 at 32 about 15% faster once warm; the finiteness check before each update, four
plain sums instead of a destructured array's, 784-1024-10 at 10 about 15% faster. At 784-1024-10
and 10 the SGD update and that check are a quarter of the time: each is a pass over 814,090
parameters per batch of 10.

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
