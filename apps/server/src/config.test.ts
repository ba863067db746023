import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.js';

describe('parseConfig', () => {
  it('has defaults, reads the environment, and lets flags win', () => {
    expect(parseConfig([], {})).toEqual({
      port: 8080,
      host: '127.0.0.1',
      bodyLimit: '1mb',
      maxBatch: 1024,
      uploads: 16,
      logLevel: 'info',
      drainDelay: 100,
      shutdownTimeout: 10_000,
    });
    const env = {
      PORT: '9000',
      DENDRITE_MODELS: '/models',
      LOG_LEVEL: 'warn',
      DENDRITE_MAX_BATCH: '8',
      DENDRITE_UPLOADS: '0',
    };
    expect(parseConfig(['--port', '9100'], env)).toMatchObject({
      port: 9100,
      modelsDir: '/models',
      logLevel: 'warn',
      maxBatch: 8,
      uploads: 0,
    });
    expect(parseConfig(['--help'], {})).toBe('help');
  });

  it('names the setting that is wrong', () => {
    expect(() => parseConfig(['--port', '70000'], {})).toThrow(/^--port \(PORT\): /);
    expect(() => parseConfig([], { LOG_LEVEL: 'loud' })).toThrow(/^--log-level \(LOG_LEVEL\): /);
    expect(() => parseConfig(['--body-limit', 'huge'], {})).toThrow(
      /^--body-limit \(DENDRITE_BODY_LIMIT\): a size such as 100kb or 1mb/,
    );
    expect(() => parseConfig(['--verbose'], {})).toThrow(/Unknown option '--verbose'/);
  });
});
