/**
 * A Redis primary, one replica and three sentinels from Debian's `redis-server`, on one address
 * of this machine (127.0.0.1, or its address on a test network of hosts) in a temporary
 * directory: the topology a city's deployment runs, for the fail-over tests and chaos. Every
 * data node runs as Ferry needs (`appendfsync always`, `min-replicas-to-write 1`) with a
 * password; the sentinels fail the primary over 1.5 s after it stops answering.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { sentinelUrlOf } from '../../runner/redis/sentinel-url.ts';

/** The master name the sentinels monitor. */
export const MASTER_NAME = 'ferry';

/** One redis-server process (a data node or a sentinel). */
interface Node {
  name: string;
  port: number;
  conf: string;
  sentinel: boolean;
  child?: ChildProcess;
}

async function freePort(address: string): Promise<number> {
  const server = createServer().listen(0, address);
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A running topology; {@link SentinelTopology.close} stops every process and removes its files. */
export class SentinelTopology {
  /** The data nodes' password. */
  readonly password = randomBytes(16).toString('hex');
  private nodes: Node[] = [];

  private constructor(private readonly dir: string, private readonly address: string) {}

  /**
   * Starts the primary, its replica and three sentinels on `address`, and waits until the
   * replica is in sync and the sentinels agree.
   */
  static async start(address = '127.0.0.1'): Promise<SentinelTopology> {
    const topology = new SentinelTopology(mkdtempSync(join(tmpdir(), 'ferry-sentinel-')), address);
    try {
      await topology.startAll();
      return topology;
    } catch (error) {
      await topology.close();
      throw error;
    }
  }

  /** REDIS_URL for Ferry: the primary as the sentinels name it. */
  get url(): string {
    return sentinelUrlOf(this.sentinels.map((node) => `${this.address}:${node.port}`).join(','), MASTER_NAME, this.password);
  }

  private get sentinels(): Node[] {
    return this.nodes.filter((node) => node.sentinel);
  }

  private get dataNodes(): Node[] {
    return this.nodes.filter((node) => !node.sentinel);
  }

  private async startAll(): Promise<void> {
    const [primaryPort, replicaPort, ...sentinelPorts] = await Promise.all([0, 1, 2, 3, 4].map(() => freePort(this.address)));
    this.nodes.push(this.dataNode('primary', primaryPort), this.dataNode('replica', replicaPort, primaryPort));
    for (const [i, port] of sentinelPorts.entries()) this.nodes.push(this.sentinelNode(`sentinel-${i + 1}`, port, primaryPort));
    for (const node of this.nodes) await this.spawn(node);
    await this.until('the replica to be in sync', async () => (await this.replicasOnline()) >= 1);
    await this.until('the sentinels to see each other', async () => {
      const counts = await Promise.all(this.sentinels.map((node) => this.ask(node, ['SENTINEL', 'SENTINELS', MASTER_NAME]).then((list) => (list as unknown[]).length)));
      return counts.every((count) => count >= 2);
    });
  }

  private dataNode(name: string, port: number, replicaOf?: number): Node {
    const dir = join(this.dir, name);
    mkdirSync(dir);
    const lines = [
      `port ${port}`, `bind ${this.address}`, `dir ${dir}`, 'appendonly yes', 'appendfsync always', 'save ""',
      `requirepass ${this.password}`, `masterauth ${this.password}`, 'min-replicas-to-write 1', 'min-replicas-max-lag 30',
      ...(replicaOf ? [`replicaof ${this.address} ${replicaOf}`] : []),
    ];
    const conf = join(dir, 'redis.conf');
    writeFileSync(conf, `${lines.join('\n')}\n`, { mode: 0o600 });
    return { name, port, conf, sentinel: false };
  }

  private sentinelNode(name: string, port: number, primaryPort: number): Node {
    const dir = join(this.dir, name);
    mkdirSync(dir);
    const lines = [
      `port ${port}`, `bind ${this.address}`, `dir ${dir}`,
      `sentinel monitor ${MASTER_NAME} ${this.address} ${primaryPort} 2`, `sentinel auth-pass ${MASTER_NAME} ${this.password}`,
      `sentinel down-after-milliseconds ${MASTER_NAME} 1500`, `sentinel failover-timeout ${MASTER_NAME} 10000`, `sentinel parallel-syncs ${MASTER_NAME} 1`,
    ];
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(conf, `${lines.join('\n')}\n`, { mode: 0o600 });
    return { name, port, conf, sentinel: true };
  }

  private async spawn(node: Node): Promise<void> {
    node.child = spawn('redis-server', [node.conf, ...(node.sentinel ? ['--sentinel'] : [])], { stdio: 'ignore' });
    await this.until(`${node.name} to answer`, () => this.ask(node, ['PING']).then(() => true, () => false));
  }

  /** One command to one node over a short-lived connection. */
  private async ask(node: Node, command: string[]): Promise<unknown> {
    const client = new Redis({ host: this.address, port: node.port, password: node.sentinel ? undefined : this.password, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 5000, commandTimeout: 5000 });
    client.on('error', () => {});
    try {
      await client.connect();
      return await client.call(command[0], ...command.slice(1));
    } finally {
      client.disconnect();
    }
  }

  private async until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check().catch(() => false))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The data node the sentinels name as primary now. */
  async primary(): Promise<{ name: string; port: number }> {
    const [, port] = (await this.ask(this.sentinels[0], ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME])) as [string, string];
    const node = this.dataNodes.find((each) => each.port === Number(port));
    if (!node) throw new Error(`the sentinels name ${this.address}:${port}, which is no node of this topology`);
    return { name: node.name, port: node.port };
  }

  /** How many replicas the current primary sees online. */
  async replicasOnline(): Promise<number> {
    const info = String(await this.ask(await this.primaryNode(), ['INFO', 'replication']));
    return (info.match(/^slave\d+:.*state=online/gm) ?? []).length;
  }

  /** The current primary's node; the first one until the sentinels answer. */
  private async primaryNode(): Promise<Node> {
    const { port } = await this.primary().catch(() => ({ port: this.dataNodes[0].port }));
    return this.dataNodes.find((node) => node.port === port)!;
  }

  /**
   * SIGKILLs the primary, waits until the sentinels promote the replica, then starts the old
   * primary again: the sentinels make it a replica of the new one. Returns the new primary's name.
   */
  async failOver(): Promise<string> {
    const old = await this.primaryNode();
    old.child!.kill('SIGKILL');
    await once(old.child!, 'exit');
    old.child = undefined;
    let promoted = { name: '', port: old.port };
    // Each question may fail on a loaded machine: `until` asks again.
    await this.until('the sentinels to promote the replica', async () => (promoted = await this.primary()).port !== old.port);
    await this.spawn(old);
    await this.until('the old primary to rejoin as a replica', async () => /^role:slave/m.test(String(await this.ask(old, ['INFO', 'replication']))));
    await this.until('the replica to be in sync again', async () => (await this.replicasOnline()) >= 1);
    return promoted.name;
  }

  /** SIGSTOPs the replica (of the current primary): it neither answers nor acknowledges. */
  async freezeReplica(): Promise<void> {
    const primary = await this.primaryNode();
    this.dataNodes.find((node) => node !== primary)!.child!.kill('SIGSTOP');
  }

  /** SIGCONTs a frozen replica. */
  async thawReplica(): Promise<void> {
    const primary = await this.primaryNode();
    this.dataNodes.find((node) => node !== primary)!.child!.kill('SIGCONT');
  }

  /** Sets a config value on the current primary (a test's way to break a setting Ferry checks). */
  async configurePrimary(name: string, value: string): Promise<void> {
    await this.ask(await this.primaryNode(), ['CONFIG', 'SET', name, value]);
  }

  /** Stops every process and removes the directory. */
  async close(): Promise<void> {
    for (const node of this.nodes) {
      if (!node.child || node.child.exitCode !== null || node.child.signalCode !== null) continue;
      node.child.kill('SIGCONT');
      node.child.kill('SIGKILL');
      await once(node.child, 'exit');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
