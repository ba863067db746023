#!/bin/sh
# Installs what the benchmarks compare dendrite with, beyond their npm dependencies (jax-js,
# TensorFlow.js, brain.js): Debian's PyTorch (the sizes benchmark's float64 peer, run as
# /usr/bin/python3) and scikit-learn (the small-tables benchmark). Needs Debian's apt and root
# (or sudo). Without them the benchmarks run anyway and say which peer they skipped.
set -eu
run() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
run apt-get update
run env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
  python3-torch python3-sklearn
/usr/bin/python3 -c 'import torch, sklearn; print("PyTorch", torch.__version__, "and scikit-learn", sklearn.__version__, "installed")'
