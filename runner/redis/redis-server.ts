/**
 * A private `redis-server` in a directory of its own, configured the way Ferry's exactly-once
 * promise needs it and so that only its owner can reach it:
 * - AOF with `appendfsync always`;
 * - no TCP port: a unix socket with mode 0700 inside the owner-only (0700) directory;
 * - a generated password, kept owner-only (0600) in `password` and reused on every start;
 *   the config file holds only its SHA-256;
 * - commands that could wipe data or switch off durability (CONFIG SET, FLUSHALL,
 *   SHUTDOWN, DEBUG, …) refused for the one user, Ferry's.
 * Started again in the same directory, it reloads its AOF: the same data at the same URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { answersPing } from './connect.ts';
import { unixSocketUrl } from './redis-url.ts';

/** Raised when redis-server is missing or will not start. */
export class RedisStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisStartError';
  }
}

/** The longest unix socket path the kernel takes (`sun_path` is 108 bytes with its NUL). */
const MAX_SOCKET_PATH = 107;

/** Commands Ferry never needs that could wipe data, stop the server or weaken durability. */
const REFUSED_COMMANDS = [
  'config', 'debug', 'flushall', 'flushdb', 'shutdown', 'module', 'save', 'bgsave', 'replicaof', 'slaveof',
  'acl', 'failover', 'sync', 'psync', 'monitor', 'swapdb', 'migrate',
];

/** The socket of the server in `dir`. */
export function redisSocketPath(dir: string): string {
  return join(dir, 'redis.sock');
}

/** The server's password in `dir`, generated owner-only on first use. */
export function redisPassword(dir: string): string {
  const file = join(dir, 'password');
  try {
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  chmodSync(file, 0o600);
  return readFileSync(file, 'utf8').trim();
}

/** The redis.conf the server runs with. */
export function redisConfig(dir: string, password: string): string {
  const passwordHash = createHash('sha256').update(password).digest('hex');
  return [
    'port 0',
    `unixsocket ${redisSocketPath(dir)}`,
    'unixsocketperm 700',
    `dir ${dir}`,
    'appendonly yes',
    'appendfsync always',
    'maxmemory-policy noeviction',
    'save ""',
    'daemonize no',
    `pidfile ${join(dir, 'redis.pid')}`,
    `user default on #${passwordHash} ~* &* +@all ${REFUSED_COMMANDS.map((name) => `-${name}`).join(' ')} +config|get`,
  ].join('\n');
}

/** Options of {@link RedisServer.start}. */
export interface RedisServerOptions {
  /** @defaultValue 'redis-server' */
  redisServer?: string;
  /** Called when the server exits without {@link RedisServer.stop} or {@link RedisServer.kill}. */
  onCrash?: (exit: { pid: number; code: number | null; signal: NodeJS.Signals | null }) => void;
}

/** A redis-server child process in its own directory. */
export class RedisServer {
  /** The URL that reaches it, password included: hand it only to Ferry's own processes. */
  readonly url: string;
  private child!: ChildProcess;
  private expectingExit = false;

  private constructor(readonly dir: string, private readonly options: RedisServerOptions) {
    this.url = unixSocketUrl(redisSocketPath(dir), redisPassword(dir));
  }

  /** Creates `dir` owner-only if needed, starts the server there and waits until it answers. */
  static async start(dir: string, options: RedisServerOptions = {}): Promise<RedisServer> {
    const socket = redisSocketPath(dir);
    if (Buffer.byteLength(socket) > MAX_SOCKET_PATH) {
      throw new RedisStartError(
        `The embedded Redis's socket path ${socket} is ${Buffer.byteLength(socket)} bytes, over the limit of ${MAX_SOCKET_PATH}: set FERRY_DATA_DIR to a shorter path.`,
      );
    }
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    const server = new RedisServer(dir, options);
    await server.spawn();
    return server;
  }

  /** The process id of the running server. */
  get pid(): number {
    return this.child.pid!;
  }

  /** SIGKILLs the server: no shutdown, only what its AOF already holds survives. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** Starts the server again in the same dir; it reloads its AOF. */
  async restart(): Promise<void> {
    await this.signal('SIGKILL');
    await this.spawn();
  }

  /** Stops the server with SIGTERM (it fsyncs and exits) and waits for it. */
  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.expectingExit = true;
    const exited = once(this.child, 'exit');
    this.child.kill(signal);
    await exited;
  }

  private async spawn(): Promise<void> {
    writeFileSync(join(this.dir, 'redis.conf'), redisConfig(this.dir, redisPassword(this.dir)), { mode: 0o600 });
    // Its own process group: a terminal's Ctrl-C reaches Ferry, which stops the server after the runs in flight.
    const child = spawn(this.options.redisServer ?? 'redis-server', [join(this.dir, 'redis.conf')], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    this.child = child;
    this.expectingExit = false;
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const failed = new Promise<never>((_, reject) => {
      child.once('error', (error) => reject(new RedisStartError(`redis-server could not start (${error.message}). Install it with \`apt-get install redis-server\` or set REDIS_URL.`)));
      child.once('exit', (code) => reject(new RedisStartError(`redis-server exited with code ${code}: ${stderr.trim()}`)));
    });
    failed.catch(() => {});
    await Promise.race([this.answering(child), failed]);
    child.once('exit', (code, signal) => {
      if (!this.expectingExit && this.child === child) this.options.onCrash?.({ pid: child.pid!, code, signal });
    });
  }

  private async answering(child: ChildProcess): Promise<void> {
    for (let i = 0; i < 200 && child.exitCode === null && child.signalCode === null; i++) {
      if (await answersPing(this.url)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new RedisStartError(`redis-server did not answer on ${redisSocketPath(this.dir)}`);
  }
}
