import { describe, expect, it } from 'vitest';
import { parseConfig, type Config } from './config.js';

describe('parseConfig', () => {
  it('has defaults, reads the environment, and lets flags win', () => {
    expect(parseConfig([], {})).toEqual({
      port: 8080,
      host: '127.0.0.1',
      bodyLimit: '1mb',
      maxBatch: 1024,
      uploads: 16,
      logLevel: 'info',
      pollInterval: 2000,
      cors: [],
      drainDelay: 5000,
      shutdownTimeout: 20_000,
      warnings: [],
    });
    const env = {
      PORT: '9000',
      DENDRITE_MODELS: '/models',
      LOG_LEVEL: 'warn',
      DENDRITE_MAX_BATCH: '8',
      DENDRITE_UPLOADS: '0',
      DENDRITE_ADMIN_TOKEN: 'a-token-of-sixteen-chars',
      DENDRITE_ALLOWED_HOSTS: 'api.example.com, .internal',
    };
    expect(parseConfig(['--port', '9100'], env)).toMatchObject({
      port: 9100,
      modelsDir: '/models',
      logLevel: 'warn',
      maxBatch: 8,
      uploads: 0,
      adminToken: 'a-token-of-sixteen-chars',
      allowedHosts: ['api.example.com', '.internal'],
      warnings: [], // the token came from the environment, where it belongs
    });
    expect((parseConfig(['--cors', 'http://a.test,http://b.test'], {}) as Config).cors).toEqual([
      'http://a.test',
      'http://b.test',
    ]);
    expect(parseConfig(['--help'], {})).toBe('help');
  });

  it('warns of an admin token given as a flag, which ps and shell history show', () => {
    const config = parseConfig(['--admin-token', 'a-token-of-sixteen-chars'], {}) as Config;
    expect(config.adminToken).toBe('a-token-of-sixteen-chars');
    expect(config.warnings).toEqual([
      'the admin token was given as --admin-token, which ps, shell history and logs of the command line show: set DENDRITE_ADMIN_TOKEN instead',
    ]);
  });

  it('names the setting that is wrong', () => {
    expect(() => parseConfig(['--port', '70000'], {})).toThrow(/^--port \(PORT\): /);
    expect(() => parseConfig([], { LOG_LEVEL: 'loud' })).toThrow(/^--log-level \(LOG_LEVEL\): /);
    expect(() => parseConfig(['--body-limit', 'huge'], {})).toThrow(
      /^--body-limit \(DENDRITE_BODY_LIMIT\): a size such as 100kb or 1mb/,
    );
    expect(() => parseConfig(['--verbose'], {})).toThrow(/Unknown option '--verbose'/);
    expect(() => parseConfig(['--admin-token', 'short'], {})).toThrow(
      /^--admin-token \(DENDRITE_ADMIN_TOKEN\): use a token of at least 16 characters/,
    );
  });
});
