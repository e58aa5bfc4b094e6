/**
 * W `ferry worker` processes that the chaos harness kills and restarts. A kill is either
 * a plain `kill -9` at a random moment, or one inside the window between the target's
 * save and the ledger's DONE: every worker runs with the test-only fault point, and the
 * harness arms one that is writing (SIGUSR2), which then dies at its next write. A worker
 * is known by the id it prints when it starts, the id the ledger names as a record's owner.
 * Every death is followed by a restart.
 *
 * On a network of hosts (../topology/host-network.ts) each worker runs on a host of its own
 * (round robin, a data dir per host), a random kill takes the whole host down (its worker and
 * its Chromium, `kill -9`), and a host's link can be cut for a while: its worker lives on,
 * cut off from Redis and the systems, while the others take its runs over.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { FERRY_BIN } from '../../cli/ferry-process.ts';
import type { HostNetwork } from '../topology/host-network.ts';

/** What the fleet did. */
export interface FleetCounts {
  /** `kill -9` sent by the harness. */
  randomKills: number;
  /** Workers that died at the fault point, after the save and before the ledger. */
  inWindowKills: number;
  /** Deaths nobody asked for (a crash): each is restarted too. */
  crashes: number;
  /** Hosts whose link the harness cut for a while, while their worker was writing (on a network of hosts). */
  cuts: number;
  /** Workers still up long after the final SIGTERM (past their stop grace period), then SIGKILLed. */
  hungOnStop: number;
}

/** Where the workers run when they run on hosts of their own. */
export interface FleetHosts {
  network: HostNetwork;
  /** Host names on `network`; worker i runs on `names[i % names.length]`. */
  names: string[];
}

interface Slot {
  child: ChildProcess;
  /** The host it runs on, on a network of hosts. */
  host?: string;
  /** The id the worker printed at start (`worker <id> started;`); undefined until then. */
  workerId?: string;
  armed: boolean;
  killedByHarness: boolean;
}

const STARTED_LINE = /worker (\S+) started;/;

const isAlive = (slot: Slot) => slot.child.exitCode === null && slot.child.signalCode === null;

export class WorkerFleet {
  readonly counts: FleetCounts = { randomKills: 0, inWindowKills: 0, crashes: 0, cuts: 0, hungOnStop: 0 };
  private readonly slots: Slot[] = [];
  private readonly cut = new Map<string, NodeJS.Timeout>();
  private stopping = false;

  /**
   * `env` is the whole environment of a worker; its stderr goes to `<logDir>/worker-<n>.stderr`.
   * With `hosts`, each host's workers have `<logDir>/<host>` as their data dir.
   */
  constructor(private readonly env: Record<string, string>, private readonly logDir: string, private readonly hosts?: FleetHosts) {}

  start(size: number): void {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn(i));
  }

  /** Live workers. */
  get live(): number {
    return this.slots.filter(isAlive).length;
  }

  /** True while an armed worker has not died at the fault point yet. */
  get armedAlive(): boolean {
    return this.slots.some((slot) => slot.armed && isAlive(slot));
  }

  /** `kill -9` a random live worker that is not armed; on hosts, every process of its host. */
  killRandom(): void {
    const slot = this.pickLive();
    if (!slot) return;
    this.counts.randomKills++;
    for (const each of this.slots.filter((other) => other === slot || (slot.host && other.host === slot.host))) each.killedByHarness = true;
    if (slot.host) {
      const netns = this.hosts!.network.host(slot.host).netns;
      const pids = execFileSync('ip', ['netns', 'pids', netns], { encoding: 'utf8' }).split('\n').filter(Boolean);
      for (const pid of pids) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // gone already
        }
      }
    } else slot.child.kill('SIGKILL');
  }

  /**
   * Cuts the link of the host that runs worker `workerId` (up, unarmed, not cut already), and
   * puts it back after `ms`. False when it is not one of ours.
   */
  cutHostOf(workerId: string, ms: number): boolean {
    const slot = this.slots.find((each) => each.workerId === workerId && each.host && !each.armed && isAlive(each) && !this.cut.has(each.host));
    if (!slot) return false;
    const host = slot.host!;
    this.hosts!.network.cut(host);
    this.counts.cuts++;
    this.cut.set(host, setTimeout(() => this.reconnect(host), ms));
    return true;
  }

  /** Puts the host of worker `workerId` back on the network at once, and forgets its cut (it caught nothing). */
  reconnectHostOf(workerId: string): void {
    const host = this.slots.find((each) => each.workerId === workerId)?.host;
    if (!host || !this.cut.has(host)) return;
    this.counts.cuts--;
    this.reconnect(host);
  }

  private reconnect(host: string): void {
    clearTimeout(this.cut.get(host));
    this.cut.delete(host);
    this.hosts!.network.reconnect(host);
  }

  /** A random live worker, unarmed and not on a cut host. */
  private pickLive(): Slot | undefined {
    const alive = this.slots.filter((slot) => !slot.armed && isAlive(slot) && !(slot.host && this.cut.has(slot.host)));
    return alive[Math.floor(Math.random() * alive.length)];
  }

  /** Arms the live worker with id `workerId`: it dies at its next write. False when it is not one of ours. */
  arm(workerId: string): boolean {
    const slot = this.slots.find((s) => s.workerId === workerId && isAlive(s));
    if (!slot) return false;
    slot.armed = true;
    slot.child.kill('SIGUSR2');
    return true;
  }

  /**
   * Puts every cut host back, stops every worker with SIGTERM and waits for them; one still up
   * `deadlineMs` later (past its stop grace period) is SIGKILLed and counted in `hungOnStop`.
   */
  async stop(deadlineMs: number): Promise<void> {
    this.stopping = true;
    for (const host of [...this.cut.keys()]) this.reconnect(host);
    await Promise.all(this.slots.filter(isAlive).map(async ({ child }) => {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const hung = setTimeout(() => {
        this.counts.hungOnStop++;
        child.kill('SIGKILL');
      }, deadlineMs);
      await exited;
      clearTimeout(hung);
    }));
  }

  private spawn(index: number): Slot {
    const host = this.hosts?.names[index % this.hosts.names.length];
    const env: Record<string, string> = { ...this.env, FERRY_FAULT_POINT: 'after-write-before-ledger' };
    const command = [process.execPath, FERRY_BIN, 'worker'];
    if (host) {
      env.FERRY_DATA_DIR = join(this.logDir, host);
      mkdirSync(env.FERRY_DATA_DIR, { recursive: true });
      // `ip netns exec` execs the worker in place: the child's pid is the worker's.
      command.unshift('ip', 'netns', 'exec', this.hosts!.network.host(host).netns);
    }
    const child = spawn(command[0], command.slice(1), { env, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.pipe(createWriteStream(join(this.logDir, `worker-${index}.stderr`), { flags: 'a' }));
    const slot: Slot = { child, host, armed: false, killedByHarness: false };
    let head = '';
    const learnId = (chunk: Buffer) => {
      head += chunk.toString('utf8');
      slot.workerId = STARTED_LINE.exec(head)?.[1];
      if (slot.workerId || head.length > 64_000) child.stderr!.off('data', learnId);
    };
    child.stderr!.on('data', learnId);
    child.once('exit', (_code, signal) => this.onExit(index, slot, signal));
    return slot;
  }

  private onExit(index: number, slot: Slot, signal: NodeJS.Signals | null): void {
    if (this.stopping) return;
    if (!slot.killedByHarness && slot.armed && signal === 'SIGKILL') this.counts.inWindowKills++;
    else if (!slot.killedByHarness) this.counts.crashes++;
    this.slots[index] = this.spawn(index);
  }
}
