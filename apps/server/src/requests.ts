import { z } from 'zod';
import { binaryRows } from './binary-tensors.js';
import { HttpError } from './errors.js';
import type { ModelDescription } from './models.js';

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
        data: z.unknown().optional(),
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
  model: ModelDescription,
  maxBatch: number,
  binary?: Buffer,
): { id?: string; rows: number[][]; wanted?: string[] } {
  const fields = body !== null && typeof body === 'object' ? body : {};
  if ('instances' in fields && !('inputs' in fields)) {
    throw new HttpError(
      400,
      `"instances" is TensorFlow Serving's request: POST it to /v1/models/${model.name}:predict, or send this route "inputs" (the Open Inference Protocol's tensors)`,
    );
  }
  const request = check(inferRequest, body, 'inference request');
  const quote = `for model '${model.name}'`;
  for (const input of request.inputs) {
    if (input.name !== 'input')
      throw new HttpError(400, `unexpected inference input '${input.name.slice(0, 100)}' ${quote}`);
  }
  if (request.inputs.length > 1)
    throw new HttpError(400, `input 'input' is given ${request.inputs.length} times`);
  const outputNames = model.classes === undefined ? ['output'] : ['output', 'class'];
  for (const output of request.outputs ?? []) {
    if (!outputNames.includes(output.name))
      throw new HttpError(
        400,
        `unexpected inference output '${output.name.slice(0, 100)}' ${quote}; it has ${outputNames.map((n) => `'${n}'`).join(' and ')}`,
      );
  }
  const { datatype, shape, data, parameters: given } = request.inputs[0]!;
  if (!datatypes.has(datatype))
    throw new HttpError(400, `input 'input' has an unknown datatype '${datatype.slice(0, 20)}'`);
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
      `unexpected shape for input 'input' ${quote}. Expected [-1,${model.inputSize}], got ${JSON.stringify(shape).slice(0, 100)}`,
    );
  }
  checkBatch(batch as number, maxBatch);
  const size = given?.binary_data_size;
  const tensor = { batch: batch as number, width: model.inputSize };
  return {
    ...(request.id === undefined ? {} : { id: request.id }),
    ...(request.outputs === undefined ? {} : { wanted: request.outputs.map((o) => o.name) }),
    rows:
      size === undefined && binary === undefined
        ? tensorRows(data, tensor.batch, tensor.width, datatype)
        : binaryRows(binary, size, data, tensor, datatype),
  };
}

/** The rows of a TensorFlow Serving `:predict` request, and which key it used. */
export function parsePredictRequest(
  body: unknown,
  model: ModelDescription,
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
    return numbersAt(row, 0, row.length, 'FP64', (j) => `${key}[${i}][${j}]`);
  });
  return { key, rows };
}

function checkBatch(rows: number, maxBatch: number): number {
  if (rows === 0) throw new HttpError(400, 'the batch is empty: send at least one row');
  if (rows > maxBatch)
    throw new HttpError(400, `a batch of ${rows} rows is over this server's limit of ${maxBatch}`);
  return rows;
}

/** The largest finite FP32 number. */
const largestFloat32 = 3.4028234663852886e38;

/**
 * `count` tensor elements from `items` (starting at `from`) as numbers: finite, and for FP32
 * within its range and rounded to it; `where` names an element that is not, for the 400.
 */
function numbersAt(
  items: readonly unknown[],
  from: number,
  count: number,
  datatype: 'FP32' | 'FP64',
  where: (index: number) => string,
): number[] {
  // A slice of a parsed array of numbers is one copy; then each is checked (and rounded) in place.
  const numbers = items.slice(from, from + count) as number[];
  for (let i = 0; i < count; i++) {
    const item: unknown = numbers[i];
    if (typeof item !== 'number' || !Number.isFinite(item)) {
      throw new HttpError(400, `${where(from + i)} is not a finite number (got ${shown(item)})`);
    }
    if (datatype === 'FP32') {
      if (Math.abs(item) > largestFloat32) {
        throw new HttpError(
          400,
          `${where(from + i)} (${item}) is outside the FP32 range; send it as FP64`,
        );
      }
      numbers[i] = Math.fround(item);
    }
  }
  return numbers;
}

/** A short description of what a client sent where a number belongs. */
function shown(item: unknown): string {
  if (typeof item === 'string') return JSON.stringify(item.slice(0, 40));
  if (Array.isArray(item)) return 'a list';
  return typeof item === 'object' && item !== null ? 'an object' : String(item);
}

/** How a 400 names an element of flat tensor data. */
const element = (i: number) => `input 'input' element ${i}`;

/**
 * The rows of a `[batch, width]` tensor's `data`, flat (row-major) or nested exactly as its
 * shape; anything else (ragged rows, a deeper or a partial nesting) is a 400 that says where.
 */
function tensorRows(
  data: unknown,
  batch: number,
  width: number,
  datatype: 'FP32' | 'FP64',
): number[][] {
  const what = "input 'input'";
  if (!Array.isArray(data)) throw new HttpError(400, `${what} data must be a list of numbers`);
  const nested = Array.isArray(data[0]);
  if (!nested) {
    if (data.length !== batch * width) {
      throw new HttpError(
        400,
        `${what} has ${data.length} numbers; its shape [${batch},${width}] needs ${batch * width}`,
      );
    }
    const rows = new Array<number[]>(batch);
    for (let r = 0; r < batch; r++) rows[r] = numbersAt(data, r * width, width, datatype, element);
    return rows;
  }
  if (data.length !== batch) {
    throw new HttpError(
      400,
      `${what} has ${data.length} rows; its shape [${batch},${width}] needs ${batch}`,
    );
  }
  return data.map((row: unknown, r) => {
    if (!Array.isArray(row) || row.length !== width) {
      const got = Array.isArray(row) ? `${row.length} numbers` : 'no list';
      throw new HttpError(
        400,
        `${what} row ${r} has ${got}; nested data must match its shape [${batch},${width}] (ragged rows are not allowed)`,
      );
    }
    return numbersAt(row, 0, width, datatype, (c) => `${what} element [${r}][${c}]`);
  });
}

/** The deepest nesting a request body may have: far beyond any real request's, far below a stack's. */
export const deepestNesting = 32;

/**
 * Refuses (400) a parsed JSON body nested deeper than `deepestNesting`, walked without recursion,
 * so that no later step (validation, an error message) ever recurses into a hostile body.
 */
export function checkNesting(body: unknown): void {
  // Two stacks of plain values rather than one of pairs, and an indexed loop: a tensor of numbers
  // is walked without an allocation per element.
  const values: object[] = typeof body === 'object' && body !== null ? [body] : [];
  const depths = [1];
  while (values.length > 0) {
    const value = values.pop()!;
    const depth = depths.pop()!;
    if (depth > deepestNesting) {
      throw new HttpError(400, `the body nests lists or objects more than ${deepestNesting} deep`);
    }
    const items: unknown[] = Array.isArray(value) ? value : Object.values(value);
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (typeof item === 'object' && item !== null) {
        values.push(item);
        depths.push(depth + 1);
      }
    }
  }
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
