import { getHeapStatistics } from 'node:v8';
import type { Command } from 'commander';
import { CliError } from './errors.js';
import { positiveNumber } from './options.js';

/** The default of `--max-memory`, in MB: room to train networks of about 1.3 million parameters and predict with ones of 2 million. */
export const defaultMemoryLimit = 1024;

/** Adds `--max-memory` to the program: what a network or a data set may be estimated to need. */
export function addMemoryOption(program: Command): Command {
  return program.option(
    '--max-memory <MB>',
    'refuse networks and data sets estimated to need more memory than this',
    positiveNumber,
    defaultMemoryLimit,
  );
}

/**
 * Refuses, with the estimate and the limit in one line, what would need more memory than
 * `--max-memory` allows (or than Node's heap can hold), before anything is allocated.
 */
export function checkMemory(program: Command, what: string, bytes: number): void {
  const limit = program.opts<{ maxMemory: number }>().maxMemory * 2 ** 20;
  const heap = getHeapStatistics().heap_size_limit;
  const raiseTo = Math.ceil((bytes * 1.25) / 2 ** 20);
  if (bytes > limit) {
    throw new CliError(
      `${what} would need about ${size(bytes)} of memory, more than the limit of ${size(limit)}; ` +
        `if the machine has it, raise the limit with --max-memory ${raiseTo}`,
    );
  }
  if (bytes > heap) {
    throw new CliError(
      `${what} would need about ${size(bytes)} of memory, more than Node's heap of ${size(heap)}; ` +
        `give Node more with NODE_OPTIONS=--max-old-space-size=${raiseTo}`,
    );
  }
}

function size(bytes: number): string {
  const [amount, unit] =
    bytes >= 2 ** 30
      ? [bytes / 2 ** 30, 'GB']
      : bytes >= 2 ** 20
        ? [bytes / 2 ** 20, 'MB']
        : [bytes / 2 ** 10, 'KB'];
  return `${amount.toLocaleString('en', { maximumFractionDigits: 1 })} ${unit}`;
}
