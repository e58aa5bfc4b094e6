/**
 * Ferry's Redis connections against a real redis-server: ioredis gives a connection up for good
 * when it is told to reconnect while still connecting (what a READONLY reply or `+switch-master`
 * does after a Sentinel fail-over), and a Ferry connection opens itself again; one closed on
 * purpose stays closed.
 */
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { connectRedis } from '../runner/redis/connect.ts';
import { useRedis } from './support/redis.ts';

const redis = useRedis();
const opened: Redis[] = [];

function open(): Redis {
  const client = connectRedis(redis().url);
  client.on('error', () => {});
  opened.push(client);
  return client;
}

afterEach(() => {
  for (const client of opened.splice(0)) client.disconnect();
});

/** Resolves at the connection's next `end` (events.once would reject at the "Connection is closed." error that comes first). */
function ending(client: Redis): Promise<void> {
  return new Promise((resolve) => client.once('end', () => resolve()));
}

/** Reconnects `client`, and asks it to reconnect again while it connects: ioredis then ends it. */
async function endMidReconnect(client: Redis): Promise<void> {
  await client.ping();
  const ended = ending(client);
  client.once('connecting', () => client.disconnect(true));
  client.disconnect(true);
  await ended;
}

describe('a Ferry Redis connection', () => {
  it('opens itself again after ioredis ended it mid-reconnect, and serves the next command', async () => {
    const client = open();
    await client.set('connection-test', 'kept');
    await endMidReconnect(client);
    await expect(client.get('connection-test')).resolves.toBe('kept');
    expect(client.status).toBe('ready');
  });

  it('gives its duplicates (BullMQ\'s blocking connections) the same', async () => {
    const duplicate = open().duplicate();
    duplicate.on('error', () => {});
    opened.push(duplicate);
    await endMidReconnect(duplicate);
    await expect(duplicate.ping()).resolves.toBe('PONG');
  });

  it('stays closed after disconnect() and after QUIT', async () => {
    const disconnected = open();
    await disconnected.ping();
    const ended = ending(disconnected);
    disconnected.disconnect();
    await ended;
    const quit = open();
    await quit.ping();
    const quitEnded = ending(quit);
    await quit.quit();
    await quitEnded;
    expect([disconnected.status, quit.status]).toEqual(['end', 'end']);
    await expect(quit.ping()).rejects.toThrow('Connection is closed.');
  });
});
