"""The sizes benchmark's PyTorch peer: the job sizes-peers.ts sends on stdin (shape, examples,
starting weights, epochs, learning rate, batch size), trained as a PyTorch user would write it:
float64, one thread, nn.Linear layers, torch.optim.SGD on the mean loss of each mini-batch, then a
forward pass over every example for the epoch's mean loss. Prints the run as JSON.

Run with Debian's python3-torch: /usr/bin/python3 sizes-torch.py < job.json
"""
import json
import sys
import time

import torch

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)

job = json.load(sys.stdin)
shape, epochs, rate, batch = job["shape"], job["epochs"], job["learningRate"], job["batchSize"]
softmax = shape[-1] > 1
x = torch.tensor(job["inputs"])
t = torch.tensor(job["targets"])
labels = t.argmax(dim=1) if softmax else None

layers = [torch.nn.Linear(shape[i], shape[i + 1]) for i in range(len(shape) - 1)]
with torch.no_grad():
    for layer, (weights, biases) in zip(layers, job["weights"]):
        layer.weight.copy_(torch.tensor(weights))
        layer.bias.copy_(torch.tensor(biases))
parameters = [p for layer in layers for p in layer.parameters()]
optimizer = torch.optim.SGD(parameters, lr=rate)


def loss_of(inputs, targets, classes):
    h = inputs
    for layer in layers[:-1]:
        h = torch.tanh(layer(h))
    out = layers[-1](h)
    if softmax:
        return torch.nn.functional.cross_entropy(out, classes)
    return 0.5 * ((torch.tanh(out).squeeze(1) - targets) ** 2).mean()


start = time.perf_counter()
final = float("nan")
for epoch in range(epochs):
    for at in range(0, len(x), batch):
        optimizer.zero_grad()
        part = slice(at, at + batch)
        loss_of(x[part], t[part], labels[part] if softmax else None).backward()
        optimizer.step()
    with torch.no_grad():
        final = loss_of(x, t, labels).item()
seconds = time.perf_counter() - start
print(json.dumps({
    "buildMs": 0,
    "epochs": epochs,
    "perExample": seconds * 1e6 / (epochs * len(x)),
    "finalLoss": final,
    "mode": f"torch {torch.__version__}",
    "heapMB": 0,
}))
