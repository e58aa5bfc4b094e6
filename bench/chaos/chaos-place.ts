/**
 * Where `ferry chaos` runs its proof: on one Redis on this machine, which it SIGKILLs and
 * restarts from its AOF (`single`), or on a primary, a replica and three sentinels, with each
 * worker on a host of its own (a network namespace), where it SIGKILLs the primary so Sentinel
 * fails over and the old primary rejoins as a replica (`sentinel`). Needs root for the hosts.
 */
import { join } from 'node:path';
import { RedisServer } from '../../runner/redis/redis-server.ts';
import { HostNetwork } from '../topology/host-network.ts';
import { SentinelTopology } from '../topology/sentinel-topology.ts';
import { restartRedis } from './chaos-setup.ts';
import type { FleetHosts } from './worker-fleet.ts';

/** The Redis topologies the proof runs on. */
export type ChaosTopology = 'single' | 'sentinel';

/** A topology, up. */
export interface ChaosPlace {
  redisUrl: string;
  /** What the workers need besides the proof's own environment (replicas to wait for). */
  env: Record<string, string>;
  /** The address the fixture systems listen on, where the worker hosts reach them; unset, 127.0.0.1. */
  fixturesHost?: string;
  hosts?: FleetHosts;
  redisFault: { what: string; cause(): Promise<unknown> };
  close(): Promise<void>;
}

/** Starts `topology`; `hosts` worker hosts with `sentinel`. */
export async function openChaosPlace(topology: ChaosTopology, hosts: number, dataDir: string): Promise<ChaosPlace> {
  if (topology === 'single') {
    const redis = await RedisServer.start(join(dataDir, 'redis'));
    return { redisUrl: redis.url, env: {}, redisFault: restartRedis(redis), close: () => redis.stop() };
  }
  const names = Array.from({ length: hosts }, (_, i) => `host-${i + 1}`);
  const network = new HostNetwork(names);
  try {
    const redis = await SentinelTopology.start(network.gateway);
    return {
      redisUrl: redis.url,
      env: { FERRY_REDIS_MIN_REPLICAS: '1' },
      fixturesHost: network.gateway,
      hosts: { network, names },
      redisFault: { what: 'killing the Redis primary (SIGKILL): Sentinel promotes the replica, and the old primary rejoins as its replica', cause: () => redis.failOver() },
      close: async () => {
        await redis.close();
        network.close();
      },
    };
  } catch (error) {
    network.close();
    throw error;
  }
}
