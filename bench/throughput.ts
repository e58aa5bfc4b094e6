/**
 * `ferry bench throughput`: records per second moved acceptance → medical-insurance by
 * (a) Ferry with every guarantee on and (b) the hand-written baseline in `baseline/`,
 * one after the other in this process, each from fresh fixture systems (same seed, zero
 * latency, captcha on for both) served by a `ferry fixtures` process of their own, as in
 * a deployment. The cases are the enterable ones: accepted, clean and local (hukou in
 * the city), so the residence system takes no part. Both runs must leave the same rows
 * in the target, serial numbers and times aside. Each half's CPU is split by group
 * (this Node process, its Chromium, the fixtures, Redis) per record.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { FIXTURE_ACCOUNTS } from '../fixtures/data/accounts.ts';
import { launchChromium } from '../runner/browser/chromium.ts';
import type { FerryConfig } from '../runner/config.ts';
import { OcrPool } from '../runner/ocr/ocr.ts';
import { enterableCases } from '../fixtures/cases.ts';
import { enrollCases } from './baseline/enroll-cases.ts';
import { cpuPerRecord, sampleCpu, type CpuGroups } from './cpu-groups.ts';
import { startFixturesProcess, type FixturesProcess } from './fixtures-process.ts';
import { runFerry } from './throughput-ferry.ts';
import { unlessStopped } from '../cli/shutdown.ts';

/** The two halves of the bench. */
export type ThroughputHalf = 'ferry' | 'baseline';

/** Options of {@link runThroughputBench}. */
export interface ThroughputOptions {
  /** Cases to transfer. @defaultValue 1000 */
  records?: number;
  /** Runs (Ferry) and pages (baseline) at once; also the raised session cap. @defaultValue 4 */
  concurrency?: number;
  /** Called with a progress line now and then. */
  onProgress?: (line: string) => void;
  /** Called as records of a half are done (Ferry: runs settled; baseline: cases entered). */
  onRecords?: (half: ThroughputHalf, done: number, total: number) => void;
  /** Aborted to stop part way: Chromium, the worker and the fixture systems are stopped, and the call rejects. */
  signal?: AbortSignal;
}

/** The figures `ferry bench throughput --json` prints. */
export interface ThroughputResult {
  records: number;
  concurrency: number;
  ferryPerSec: number;
  baselinePerSec: number;
  /** `ferryPerSec / baselinePerSec`. Target ≥ 1.0 at concurrency 4. */
  ratio: number;
  ferrySeconds: number;
  baselineSeconds: number;
  /** CPU milliseconds per record of each half, by group; the baseline uses no Redis. */
  cpuMsPerRecord: Record<ThroughputHalf, CpuGroups>;
}

const SEED = 20260301;
const round = (value: number, places = 2) => Math.round(value * 10 ** places) / 10 ** places;

type TargetRow = Record<string, string>;

async function targetRows(fixtures: FixturesProcess): Promise<string[]> {
  const { rows } = (await (await fetch(`${fixtures.urls.medicalInsurance}/__fixture/records`)).json()) as { rows: TargetRow[] };
  return rows.map(({ serialNo: _serial, createdAt: _created, ...row }) => JSON.stringify(row)).sort();
}

/** What one half did: its seconds, its CPU per record, and the rows it left in the target. */
interface HalfResult {
  seconds: number;
  cpu: CpuGroups;
  rows: string[];
}

/** CPU samples of one half: the first and the last taken count. */
class HalfCpu {
  private readonly samples: CpuGroups[] = [];
  constructor(private readonly fixturesPid: number) {}
  async sample(redis?: Redis): Promise<void> {
    this.samples.push(await sampleCpu(this.fixturesPid, redis));
  }
  perRecord(records: number): CpuGroups {
    return cpuPerRecord(this.samples[0], this.samples.at(-1)!, records);
  }
}

/** Runs one half against fresh fixture systems in their own process. */
async function runHalf(applicants: number, records: number, work: (fixtures: FixturesProcess, cpu: HalfCpu) => Promise<number>): Promise<HalfResult> {
  const fixtures = await startFixturesProcess({ seed: SEED, applicants, captcha: true });
  try {
    const cpu = new HalfCpu(fixtures.pid);
    const seconds = await work(fixtures, cpu);
    return { seconds, cpu: cpu.perRecord(records), rows: await targetRows(fixtures) };
  } finally {
    await fixtures.stop();
  }
}

/** Runs both transfers and compares their target rows; throws when they differ. */
export async function runThroughputBench(config: FerryConfig, options: ThroughputOptions = {}): Promise<ThroughputResult> {
  const { records = 1000, concurrency = 4, onProgress = () => {}, onRecords = () => {}, signal } = options;
  const applicants = Math.max(3000, records * 3);
  const dataDir = await mkdtemp(join(tmpdir(), 'ferry-bench-'));
  const ocr = new OcrPool({ tessdataDir: config.tessdataDir, langs: ['eng'] });
  try {
    let caseNos: string[] = [];
    const ferry = await runHalf(applicants, records, async (fixtures, cpu) => {
      caseNos = enterableCases(fixtures.applicants).slice(0, records).map((a) => a.caseNo);
      if (caseNos.length < records) throw new Error(`only ${caseNos.length} enterable cases for ${records} records`);
      onProgress(`ferry: ${records} runs at concurrency ${concurrency}…`);
      const run = await runFerry({ ...config, dataDir }, fixtures.urls, caseNos, concurrency, ocr, {
        sample: (redis) => cpu.sample(redis),
        onSettled: (done) => onRecords('ferry', done, records),
        signal,
      });
      if (run.failed > 0) throw new Error(`${run.failed} of ${records} Ferry runs failed; see ${dataDir}`);
      return run.seconds;
    });
    const baseline = await runHalf(applicants, records, async (fixtures, cpu) => {
      onProgress(`baseline: ${records} cases on ${concurrency} pages…`);
      await cpu.sample();
      const started = performance.now();
      const browser = await launchChromium(config.chromiumPath);
      try {
        await unlessStopped(enrollCases(browser, {
          acceptanceUrl: fixtures.urls.acceptance, medicalInsuranceUrl: fixtures.urls.medicalInsurance,
          acceptanceLogin: FIXTURE_ACCOUNTS.acceptance, medicalInsuranceLogin: FIXTURE_ACCOUNTS.medicalInsurance,
        }, caseNos, concurrency, ocr, (done) => onRecords('baseline', done, records)), signal);
        const seconds = (performance.now() - started) / 1000;
        await cpu.sample();
        return seconds;
      } finally {
        await browser.close();
      }
    });
    if (ferry.rows.length !== records || JSON.stringify(ferry.rows) !== JSON.stringify(baseline.rows)) {
      throw new Error(`the target rows differ: Ferry left ${ferry.rows.length}, the baseline ${baseline.rows.length}, for ${records} records`);
    }
    const ferryPerSec = records / ferry.seconds;
    const baselinePerSec = records / baseline.seconds;
    return {
      records, concurrency, ferryPerSec: round(ferryPerSec), baselinePerSec: round(baselinePerSec),
      ratio: round(ferryPerSec / baselinePerSec, 3), ferrySeconds: round(ferry.seconds, 1), baselineSeconds: round(baseline.seconds, 1),
      cpuMsPerRecord: { ferry: ferry.cpu, baseline: baseline.cpu },
    };
  } finally {
    await ocr.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
