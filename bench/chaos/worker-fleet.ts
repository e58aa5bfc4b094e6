/**
 * W `ferry worker` processes that the chaos harness kills and restarts. A kill is either
 * a plain `kill -9` at a random moment, or one inside the window between the target's
 * save and the ledger's DONE: every worker runs with the test-only fault point, and the
 * harness arms one that is writing (SIGUSR2), which then dies at its next write. A worker
 * is known by the id it prints when it starts, the id the ledger names as a record's owner.
 * Every death is followed by a restart.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { FERRY_BIN } from '../../cli/ferry-process.ts';

/** What the fleet did. */
export interface FleetCounts {
  /** `kill -9` sent by the harness. */
  randomKills: number;
  /** Workers that died at the fault point, after the save and before the ledger. */
  inWindowKills: number;
  /** Deaths nobody asked for (a crash): each is restarted too. */
  crashes: number;
}

interface Slot {
  child: ChildProcess;
  /** The id the worker printed at start (`worker <id> started;`); undefined until then. */
  workerId?: string;
  armed: boolean;
  killedByHarness: boolean;
}

const STARTED_LINE = /worker (\S+) started;/;

const isAlive = (slot: Slot) => slot.child.exitCode === null && slot.child.signalCode === null;

export class WorkerFleet {
  readonly counts: FleetCounts = { randomKills: 0, inWindowKills: 0, crashes: 0 };
  private readonly slots: Slot[] = [];
  private stopping = false;

  /** `env` is the whole environment of a worker; its stderr goes to `<logDir>/worker-<n>.stderr`. */
  constructor(private readonly env: Record<string, string>, private readonly logDir: string) {}

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

  /** `kill -9` a random live worker that is not armed. */
  killRandom(): void {
    const alive = this.slots.filter((slot) => !slot.armed && isAlive(slot));
    if (alive.length === 0) return;
    const slot = alive[Math.floor(Math.random() * alive.length)];
    slot.killedByHarness = true;
    this.counts.randomKills++;
    slot.child.kill('SIGKILL');
  }

  /** Arms the live worker with id `workerId`: it dies at its next write. False when it is not one of ours. */
  arm(workerId: string): boolean {
    const slot = this.slots.find((s) => s.workerId === workerId && isAlive(s));
    if (!slot) return false;
    slot.armed = true;
    slot.child.kill('SIGUSR2');
    return true;
  }

  /** Stops every worker with SIGTERM and waits for them. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.slots.filter(isAlive).map(async ({ child }) => {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }));
  }

  private spawn(index: number): Slot {
    const env = { ...this.env, FERRY_FAULT_POINT: 'after-write-before-ledger' };
    const child = spawn(process.execPath, [FERRY_BIN, 'worker'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.pipe(createWriteStream(join(this.logDir, `worker-${index}.stderr`), { flags: 'a' }));
    const slot: Slot = { child, armed: false, killedByHarness: false };
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
