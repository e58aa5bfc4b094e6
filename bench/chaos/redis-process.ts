/**
 * The chaos harness's own redis-server, configured like Ferry's embedded one (AOF,
 * `appendfsync always`), that it can kill with SIGKILL and start again on the same port
 * and directory, so the restarted server replays its AOF.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { freePort, spawnRedisServer } from '../../runner/redis/embedded-redis.ts';

export class RedisProcess {
  private constructor(private readonly dir: string, private readonly port: number, private child: ChildProcess) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts redis-server with its data under `dir`. */
  static async start(dir: string): Promise<RedisProcess> {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const port = await freePort();
    return new RedisProcess(dir, port, await spawnRedisServer(dir, port));
  }

  /** SIGKILLs the server and starts it again on the same port and dir; it reloads its AOF. */
  async restart(): Promise<void> {
    await this.signal('SIGKILL');
    this.child = await spawnRedisServer(this.dir, this.port);
  }

  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill(signal);
    await exited;
  }
}
