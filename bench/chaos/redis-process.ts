/**
 * The chaos harness's own redis-server, configured like Ferry's embedded one (AOF,
 * `appendfsync always`), that it can kill with SIGKILL and start again on the same port
 * and directory, so the restarted server replays its AOF.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { answersPing, freePort, redisConfig } from '../../runner/redis/embedded-redis.ts';

export class RedisProcess {
  private child?: ChildProcess;

  private constructor(private readonly conf: string, readonly url: string) {}

  /** Starts redis-server with its data under `dir`. */
  static async start(dir: string): Promise<RedisProcess> {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const port = await freePort();
    const conf = join(dir, 'redis.conf');
    writeFileSync(conf, redisConfig(dir, port));
    const redis = new RedisProcess(conf, `redis://127.0.0.1:${port}`);
    await redis.spawn();
    return redis;
  }

  /** SIGKILL: no shutdown save, only what the AOF already holds survives. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGKILL');
    await once(child, 'exit');
  }

  /** Starts the server again on the same port and directory; it loads its AOF. */
  async restart(): Promise<void> {
    await this.kill();
    await this.spawn();
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  }

  private async spawn(): Promise<void> {
    const child = spawn('redis-server', [this.conf], { stdio: 'ignore' });
    this.child = child;
    for (let i = 0; i < 200; i++) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
      if (await answersPing(this.url)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`redis-server did not answer on ${this.url}`);
  }
}
