/**
 * W `ferry worker` processes that the chaos harness kills and restarts. A kill is either
 * a plain `kill -9` at a random moment, or one inside the window between the target's
 * save and the ledger's DONE: the killed worker comes back armed with the test-only
 * fault point and dies at its first write. Every death is followed by a restart.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { FERRY_BIN as FERRY } from '../../runner/cli/ferry-bin.ts';


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
  armed: boolean;
  killedByHarness: boolean;
}

export class WorkerFleet {
  readonly counts: FleetCounts = { randomKills: 0, inWindowKills: 0, crashes: 0 };
  private readonly slots: Slot[] = [];
  private stopping = false;

  /** `env` is the whole environment of a worker; its stderr goes to `<logDir>/worker-<n>.stderr`. */
  constructor(private readonly env: Record<string, string>, private readonly logDir: string) {}

  start(size: number): void {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn(i, false));
  }

  /** Live workers. */
  get live(): number {
    return this.slots.filter((slot) => slot.child.exitCode === null && slot.child.signalCode === null).length;
  }

  /** Armed workers not yet dead at the fault point. */
  get armedAlive(): number {
    return this.slots.filter((slot) => slot.armed).length;
  }

  /** `kill -9` a random live worker; it comes back armed when `armNext`, to die in the window. */
  killRandom(armNext: boolean): void {
    const alive = this.slots.filter((slot) => !slot.armed && slot.child.exitCode === null && slot.child.signalCode === null);
    if (alive.length === 0) return;
    const slot = alive[Math.floor(Math.random() * alive.length)];
    slot.killedByHarness = true;
    slot.armed = armNext;
    this.counts.randomKills++;
    slot.child.kill('SIGKILL');
  }

  /** Stops every worker with SIGTERM and waits for them. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.slots.map(async ({ child }) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    }));
  }

  private spawn(index: number, armed: boolean): Slot {
    const env = armed ? { ...this.env, FERRY_FAULT_POINT: 'after-write-before-ledger' } : this.env;
    const child = spawn(process.execPath, [FERRY, 'worker'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.pipe(createWriteStream(join(this.logDir, `worker-${index}.stderr`), { flags: 'a' }));
    const slot: Slot = { child, armed, killedByHarness: false };
    child.once('exit', (_code, signal) => this.onExit(index, slot, signal));
    return slot;
  }

  private onExit(index: number, slot: Slot, signal: NodeJS.Signals | null): void {
    if (this.stopping) return;
    const diedAtFaultPoint = !slot.killedByHarness && slot.armed && signal === 'SIGKILL';
    if (diedAtFaultPoint) this.counts.inWindowKills++;
    else if (!slot.killedByHarness) this.counts.crashes++;
    const armAgain = slot.killedByHarness && slot.armed;
    this.slots[index] = this.spawn(index, armAgain);
  }
}
