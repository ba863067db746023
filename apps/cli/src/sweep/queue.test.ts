import { describe, expect, it } from 'vitest';
import { mostQueuedBytes, redisOptions, runOnQueue } from './queue.js';

describe('the queue', () => {
  it('reads Redis URLs, and refuses what is not one', () => {
    expect(redisOptions('redis://10.0.0.5:6380/2')).toMatchObject({
      host: '10.0.0.5',
      port: 6380,
      db: 2,
    });
    expect(redisOptions('redis://:p%40ss@redis')).toMatchObject({
      host: 'redis',
      port: 6379,
      db: 0,
      password: 'p@ss',
    });
    expect(() => redisOptions('http://10.0.0.5:6379')).toThrow(
      /is not a Redis URL such as redis:\/\/host:6379\/0/,
    );
    expect(() => redisOptions('redis://host/zero')).toThrow(/is not a Redis URL/);
    expect(() => redisOptions('not a url')).toThrow(/is not a URL/);
  });

  it('refuses data too large to send through Redis, before connecting', async () => {
    const run = {
      trials: [],
      dataPath: 'big.csv',
      hash: 'h',
      command: () => '',
      started() {},
      record: async () => {},
    };
    await expect(
      runOnQueue(run, 'redis://127.0.0.1:1/0', Buffer.alloc(mostQueuedBytes + 2 ** 20)),
    ).rejects.toThrow(
      /big\.csv is 65 MB; a sweep on Redis sends its data through Redis, up to 64 MB: run it on this machine \(--workers\)/,
    );
  });
});
