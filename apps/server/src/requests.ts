import { z } from 'zod';
import { HttpError } from './errors.js';
import type { ServedModel } from './models.js';

/** The Open Inference Protocol's tensor datatypes; dendrite models take FP32 or FP64. */
const datatypes = new Set([
  'BOOL',
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FP16',
  'FP32',
  'FP64',
  'BYTES',
]);

const parameters = z.record(z.string(), z.unknown()).optional();
const inferRequest = z.strictObject({
  id: z.string().optional(),
  parameters,
  inputs: z
    .array(
      z.strictObject({
        name: z.string(),
        shape: z.array(z.unknown()),
        datatype: z.string(),
        parameters,
        data: z.unknown(),
      }),
    )
    .min(1),
  outputs: z.array(z.strictObject({ name: z.string(), parameters })).optional(),
});

const predictRequest = z
  .strictObject({
    signature_name: z.string().optional(),
    instances: z.array(z.unknown()).optional(),
    inputs: z.array(z.unknown()).optional(),
  })
  .refine((body) => (body.instances === undefined) !== (body.inputs === undefined), {
    message: 'give either "instances" or "inputs"',
  });

/** The rows of an Open Inference Protocol infer request, checked against the model. */
export function parseInferRequest(
  body: unknown,
  model: ServedModel,
  maxBatch: number,
): { id?: string; rows: number[][]; wanted?: string[] } {
  const request = check(inferRequest, body, 'inference request');
  const quote = `for model '${model.name}'`;
  for (const input of request.inputs) {
    if (input.name !== 'input')
      throw new HttpError(400, `unexpected inference input '${input.name}' ${quote}`);
  }
  if (request.inputs.length > 1)
    throw new HttpError(400, `input 'input' is given ${request.inputs.length} times`);
  const outputNames = model.classes === undefined ? ['output'] : ['output', 'class'];
  for (const output of request.outputs ?? []) {
    if (!outputNames.includes(output.name))
      throw new HttpError(
        400,
        `unexpected inference output '${output.name}' ${quote}; it has ${outputNames.map((n) => `'${n}'`).join(' and ')}`,
      );
  }
  const { datatype, shape, data } = request.inputs[0]!;
  if (!datatypes.has(datatype))
    throw new HttpError(400, `input 'input' has an unknown datatype '${datatype}'`);
  if (datatype !== 'FP32' && datatype !== 'FP64') {
    throw new HttpError(
      400,
      `input 'input' ${quote} has datatype ${datatype}; it takes FP32 or FP64`,
    );
  }
  const [batch, width] = shape;
  if (
    shape.length !== 2 ||
    !Number.isSafeInteger(batch) ||
    (batch as number) < 0 ||
    width !== model.inputSize
  ) {
    throw new HttpError(
      400,
      `unexpected shape for input 'input' ${quote}. Expected [-1,${model.inputSize}], got ${JSON.stringify(shape)}`,
    );
  }
  const rows = checkBatch(batch as number, maxBatch);
  const numbers = flatten(data, rows * model.inputSize);
  return {
    ...(request.id === undefined ? {} : { id: request.id }),
    ...(request.outputs === undefined ? {} : { wanted: request.outputs.map((o) => o.name) }),
    rows: Array.from({ length: rows }, (_, r) =>
      numbers.slice(r * model.inputSize, (r + 1) * model.inputSize),
    ),
  };
}

/** The rows of a TensorFlow Serving `:predict` request, and which key it used. */
export function parsePredictRequest(
  body: unknown,
  model: ServedModel,
  maxBatch: number,
): { key: 'instances' | 'inputs'; rows: number[][] } {
  const request = check(predictRequest, body, 'predict request');
  const key = request.instances !== undefined ? 'instances' : 'inputs';
  const instances = request[key]!;
  checkBatch(instances.length, maxBatch);
  const rows = instances.map((instance, i) => {
    const row = model.inputSize === 1 && typeof instance === 'number' ? [instance] : instance;
    if (!Array.isArray(row) || row.length !== model.inputSize) {
      throw new HttpError(
        400,
        `${key}[${i}] should be a list of ${model.inputSize} numbers for model '${model.name}'`,
      );
    }
    return flatten(row, model.inputSize, `${key}[${i}]`);
  });
  return { key, rows };
}

function checkBatch(rows: number, maxBatch: number): number {
  if (rows === 0) throw new HttpError(400, 'the batch is empty: send at least one row');
  if (rows > maxBatch)
    throw new HttpError(400, `a batch of ${rows} rows is over this server's limit of ${maxBatch}`);
  return rows;
}

/**
 * The numbers of flat or nested `data`, in row-major order, checked to be exactly `count` finite
 * numbers. Iterative (any depth is fine) and it stops as soon as there are too many.
 */
function flatten(data: unknown, count: number, what = "input 'input'"): number[] {
  const numbers: number[] = [];
  const stack: { items: readonly unknown[]; next: number }[] = [
    { items: Array.isArray(data) ? data : [data], next: 0 },
  ];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.next === frame.items.length) {
      stack.pop();
      continue;
    }
    const item = frame.items[frame.next++];
    if (Array.isArray(item)) {
      stack.push({ items: item, next: 0 });
    } else if (typeof item === 'number' && Number.isFinite(item)) {
      if (numbers.length === count)
        throw new HttpError(400, `${what} has more than the ${count} numbers its shape needs`);
      numbers.push(item);
    } else {
      const shown = typeof item === 'number' ? String(item) : JSON.stringify(item)?.slice(0, 40);
      throw new HttpError(
        400,
        `${what} element ${numbers.length} is not a finite number (got ${shown})`,
      );
    }
  }
  if (numbers.length !== count) {
    throw new HttpError(400, `${what} has ${numbers.length} numbers; its shape needs ${count}`);
  }
  return numbers;
}

function check<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, `the ${what} must be a JSON object`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path
      .map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`))
      .join('')
      .replace(/^\./, '');
    throw new HttpError(
      400,
      `invalid ${what}: ${field === '' ? '' : `${field}: `}${issue.message}`,
    );
  }
  return parsed.data;
}
