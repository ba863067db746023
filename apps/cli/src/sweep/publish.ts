// Hands a sweep's refit model to a prediction server: as the next version of a model in a
// repository folder (the server's own atomic versioning), or PUT to a running server.
import { readFile } from 'node:fs/promises';
import { CliError } from '../errors.js';

/** Where to publish a model, and under which name. */
export interface PublishTarget {
  name: string;
  /** A server's model repository folder. */
  directory?: string;
  /** A running server's address (its admin token from DENDRITE_ADMIN_TOKEN). */
  url?: string;
}

/** Throws a `CliError` now, before a sweep runs, for a target the publishing would refuse. */
export async function checkTarget(target: PublishTarget): Promise<void> {
  const { modelName } = await import('@dendrite/nn/repository');
  if (!modelName.test(target.name)) {
    throw new CliError(
      `"${target.name}" is not a model name (letters, digits, _ . - only): give --publish-name`,
      2,
    );
  }
  if (target.url !== undefined && !process.env.DENDRITE_ADMIN_TOKEN) {
    throw new CliError("--publish-url needs the server's admin token in DENDRITE_ADMIN_TOKEN", 2);
  }
}

/** Publishes the model file at `path`; resolves to a line that says where it went. */
export async function publish(path: string, target: PublishTarget): Promise<string> {
  const { addVersion } = await import('@dendrite/nn/repository');
  const text = await readFile(path, 'utf8');
  const lines: string[] = [];
  if (target.directory !== undefined) {
    const { version } = await addVersion(target.directory, target.name, text);
    lines.push(`published ${target.name} version ${version} in ${target.directory}`);
  }
  if (target.url !== undefined) {
    const token = process.env.DENDRITE_ADMIN_TOKEN!;
    const address = `${target.url.replace(/\/+$/, '')}/v2/models/${encodeURIComponent(target.name)}`;
    let response: Response;
    try {
      response = await fetch(address, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: text,
      });
    } catch (error) {
      const { cause, message } = error as Error;
      throw new CliError(
        `cannot reach ${address}: ${cause instanceof Error ? cause.message : message}`,
      );
    }
    const answer = (await response.json().catch(() => ({}))) as {
      error?: string;
      versions?: string[];
    };
    if (!response.ok) {
      throw new CliError(
        `${address} refused the model (${response.status}): ${answer.error ?? response.statusText}`,
      );
    }
    lines.push(
      `published ${target.name} to ${address} (versions ${answer.versions?.join(', ') ?? '?'})`,
    );
  }
  return lines.join('\n');
}
