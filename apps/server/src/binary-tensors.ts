// The Open Inference Protocol's binary tensor extension, for inputs: a request's JSON header is its
// first `Inference-Header-Content-Length` bytes, and an input whose parameters give
// `binary_data_size` has its numbers after it as raw little-endian bytes, with no JSON to parse.
import { endianness } from 'node:os';
import { HttpError } from './errors.js';

/** The header that says how long a request's JSON part is (absent: all of it is JSON). */
export const headerLengthHeader = 'inference-header-content-length';

/** A request's JSON part's length in bytes, from its header, or undefined for a JSON-only one. */
export function jsonPartLength(
  value: string | string[] | undefined,
  total: number,
): number | undefined {
  if (value === undefined) return undefined;
  const length = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || length > total) {
    throw new HttpError(
      400,
      `Inference-Header-Content-Length must be the length of the body's JSON part, a whole number of bytes up to the body's ${total}; got ${String(value).slice(0, 20)}`,
    );
  }
  return length;
}

/**
 * The rows of a `[batch, width]` input sent as binary data: `size` bytes at the start of
 * `binary`, FP64 (8 bytes each) or FP32 (4), row-major; each number finite.
 */
export function binaryRows(
  binary: Buffer | undefined,
  size: unknown,
  data: unknown,
  shape: { batch: number; width: number },
  datatype: 'FP32' | 'FP64',
): number[][] {
  const what = "input 'input'";
  const { batch, width } = shape;
  const bytesEach = datatype === 'FP64' ? 8 : 4;
  const needed = batch * width * bytesEach;
  if (data !== undefined) {
    throw new HttpError(400, `${what} gives both data and binary_data_size: give one`);
  }
  if (size === undefined) {
    throw new HttpError(
      400,
      `${what} has no data: give its numbers as data, or as binary data after the JSON with parameters.binary_data_size`,
    );
  }
  if (size !== needed) {
    throw new HttpError(
      400,
      `${what} has binary_data_size ${JSON.stringify(size).slice(0, 20)}; its shape [${batch},${width}] of ${datatype} needs ${needed} bytes`,
    );
  }
  if (binary === undefined || binary.length !== needed) {
    const got = binary === undefined ? 'no binary part' : `${binary.length} bytes after the JSON`;
    throw new HttpError(
      400,
      `${what} says ${needed} bytes of binary data follow the JSON (Inference-Header-Content-Length), and the body has ${got}`,
    );
  }
  // A copy, aligned for a typed array; read as little-endian, as the protocol sends it.
  const copy = new Uint8Array(binary);
  const numbers =
    endianness() === 'LE'
      ? datatype === 'FP64'
        ? new Float64Array(copy.buffer)
        : new Float32Array(copy.buffer)
      : bigEndianHostNumbers(copy, datatype);
  const rows = new Array<number[]>(batch);
  for (let r = 0; r < batch; r++) {
    const row = new Array<number>(width);
    for (let c = 0; c < width; c++) {
      const number = numbers[r * width + c]!;
      if (!Number.isFinite(number)) {
        throw new HttpError(
          400,
          `${what} element ${r * width + c} is not a finite number (got ${number})`,
        );
      }
      row[c] = number;
    }
    rows[r] = row;
  }
  return rows;
}

function bigEndianHostNumbers(bytes: Uint8Array, datatype: 'FP32' | 'FP64'): Float64Array {
  const view = new DataView(bytes.buffer);
  const size = datatype === 'FP64' ? 8 : 4;
  return Float64Array.from({ length: bytes.length / size }, (_, i) =>
    size === 8 ? view.getFloat64(i * 8, true) : view.getFloat32(i * 4, true),
  );
}
