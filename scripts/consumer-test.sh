#!/usr/bin/env bash
# The published packages as a user gets them: packs @dendrite/autograd, @dendrite/nn and
# @dendrite/cli (run `pnpm build` first), installs the tarballs with npm into a fresh directory
# outside the workspace, then imports and requires them, type-checks a TypeScript file against
# them with node16 and bundler resolution, checks that zod loads only when a model file is read,
# and runs the dendrite binary.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
pnpm=(npx --yes pnpm@10.34.9)

echo "== pack"
for package in packages/autograd packages/nn apps/cli; do
  (cd "$root/$package" && "${pnpm[@]}" pack --pack-destination "$work/tarballs" >/dev/null)
done
ls "$work/tarballs"

echo "== install the tarballs with npm, outside the workspace"
mkdir "$work/consumer" && cd "$work/consumer"
printf '{ "name": "consumer", "private": true, "type": "module" }\n' > package.json
npm install --no-audit --no-fund --loglevel=error "$work"/tarballs/*.tgz @types/node@20

echo "== import and require"
node --input-type=module -e "
  import { variable, mul, grad, formula } from '@dendrite/autograd';
  import { lectureNetwork } from '@dendrite/nn';
  import { run } from '@dendrite/cli';
  const x = variable(3, 'x');
  if (formula(grad(mul(x, x), x)) !== 'x + x') throw new Error('grad(x * x) is ' + formula(grad(mul(x, x), x)));
  if (lectureNetwork().parameters().length !== 9 || typeof run !== 'function') throw new Error('bad exports');
  console.log('import: ok');
"
node --input-type=commonjs -e "
  const { variable } = require('@dendrite/autograd');
  const { Network } = require('@dendrite/nn');
  const { run } = require('@dendrite/cli');
  if (variable(2).value !== 2 || new Network([2, 1]).inputSize !== 2 || typeof run !== 'function') throw new Error('bad exports');
  console.log('require: ok');
"

echo "== zod is loaded only to read a model file"
mv node_modules/zod node_modules/.zod-away
node --input-type=module -e "
  import { lectureData, lectureNetwork, train } from '@dendrite/nn';
  train(lectureNetwork({ seed: 1 }), lectureData, { epochs: 10, learningRate: 0.1 });
  console.log('training without zod installed: ok');
"
mv node_modules/.zod-away node_modules/zod
node --input-type=module -e "
  import { lectureNetwork, loadModel, saveModel } from '@dendrite/nn';
  const { network } = loadModel(saveModel(lectureNetwork({ seed: 1 })));
  if (network.predict([-7, -3]).length !== 1) throw new Error('loadModel');
  try { loadModel('{\"format\": \"dendrite-model\", \"version\": 2}'); throw new Error('no error'); }
  catch (error) { if (!/invalid model file/.test(error.message)) throw error; }
  console.log('loadModel, which loads zod: ok');
"

echo "== TypeScript: node16 and bundler resolution"
cat > consumer.ts <<'TS'
import { formula, grad, mul, variable, type Value } from '@dendrite/autograd';
import { lectureData, lectureNetwork, train, type TrainResult } from '@dendrite/nn';
import { run, type Io } from '@dendrite/cli';

const x = variable(3, 'x');
const slope: Value = grad(mul(x, x), x);
const text: string = formula(slope);
const history: TrainResult = train(lectureNetwork({ seed: 1 }), lectureData, { epochs: 1, learningRate: 0.1 });
const io: Io = process;
const code: Promise<number> = run(['--version'], io);
export { text, history, code };
TS
for resolution in node16 bundler; do
  module=$([ "$resolution" = node16 ] && echo node16 || echo esnext)
  printf '{ "compilerOptions": { "module": "%s", "moduleResolution": "%s", "target": "es2022", "strict": true, "noEmit": true, "skipLibCheck": false, "types": ["node"] }, "files": ["consumer.ts"] }\n' \
    "$module" "$resolution" > "tsconfig.$resolution.json"
  node "$root/node_modules/typescript/bin/tsc" -p "tsconfig.$resolution.json"
  echo "typescript ($resolution): ok"
done

echo "== the dendrite binary"
npx --no-install dendrite --help | head -3
npx --no-install dendrite demo | tail -4
echo "consumer test passed."
