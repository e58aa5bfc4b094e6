/**
 * `ferry bench throughput`: records per second moved acceptance → medical-insurance by
 * (a) Ferry with every guarantee on and (b) the hand-written baseline in `baseline/`,
 * one after the other in this process, each from fresh fixture systems (same seed, zero
 * latency, captcha on for both). The cases are the enterable ones: accepted, clean and
 * local (hukou in the city), so the residence system takes no part. Both runs must leave
 * the same rows in the target, serial numbers and times aside.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE_ACCOUNTS } from '../fixtures/data/accounts.ts';
import { startFixtures, type RunningFixtures } from '../fixtures/start.ts';
import { launchChromium } from '../runner/browser/chromium.ts';
import type { FerryConfig } from '../runner/config.ts';
import { OcrPool } from '../runner/ocr/ocr.ts';
import { enterableCases } from '../fixtures/cases.ts';
import { enrollCases } from './baseline/enroll-cases.ts';
import { runFerry } from './throughput-ferry.ts';

/** Options of {@link runThroughputBench}. */
export interface ThroughputOptions {
  /** Cases to transfer. @defaultValue 1000 */
  records?: number;
  /** Runs (Ferry) and pages (baseline) at once; also the raised session cap. @defaultValue 4 */
  concurrency?: number;
  /** Called with a progress line now and then. */
  onProgress?: (line: string) => void;
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
}

const SEED = 20260301;
const round = (value: number, places = 2) => Math.round(value * 10 ** places) / 10 ** places;

type TargetRow = Record<string, string>;

async function targetRows(fixtures: RunningFixtures): Promise<string[]> {
  const { rows } = (await (await fetch(`${fixtures.urls.medicalInsurance}/__fixture/records`)).json()) as { rows: TargetRow[] };
  return rows.map(({ serialNo: _serial, createdAt: _created, ...row }) => JSON.stringify(row)).sort();
}

/** Runs `work` against fresh fixture systems and returns what it left in the target. */
async function onFreshFixtures(applicants: number, work: (fixtures: RunningFixtures) => Promise<void>): Promise<string[]> {
  const fixtures = await startFixtures({ seed: SEED, applicants, faults: { latencyMs: 0, captcha: true } });
  try {
    await work(fixtures);
    return await targetRows(fixtures);
  } finally {
    await fixtures.stop();
  }
}

/** Runs both transfers and compares their target rows; throws when they differ. */
export async function runThroughputBench(config: FerryConfig, options: ThroughputOptions = {}): Promise<ThroughputResult> {
  const { records = 1000, concurrency = 4, onProgress = () => {} } = options;
  const applicants = Math.max(3000, records * 3);
  const dataDir = await mkdtemp(join(tmpdir(), 'ferry-bench-'));
  const ocr = new OcrPool({ tessdataDir: config.tessdataDir, langs: ['eng'] });
  try {
    let caseNos: string[] = [];
    let ferrySeconds = 0;
    const ferryRows = await onFreshFixtures(applicants, async (fixtures) => {
      caseNos = enterableCases(fixtures.applicants).slice(0, records).map((a) => a.caseNo);
      if (caseNos.length < records) throw new Error(`only ${caseNos.length} enterable cases for ${records} records`);
      onProgress(`ferry: ${records} runs at concurrency ${concurrency}…`);
      const run = await runFerry({ ...config, dataDir }, fixtures, caseNos, concurrency, ocr);
      if (run.failed > 0) throw new Error(`${run.failed} of ${records} Ferry runs failed; see ${dataDir}`);
      ferrySeconds = run.seconds;
    });
    let baselineSeconds = 0;
    const baselineRows = await onFreshFixtures(applicants, async (fixtures) => {
      onProgress(`baseline: ${records} cases on ${concurrency} pages…`);
      const started = performance.now();
      const browser = await launchChromium(config.chromiumPath);
      try {
        await enrollCases(browser, {
          acceptanceUrl: fixtures.urls.acceptance, medicalInsuranceUrl: fixtures.urls.medicalInsurance,
          acceptanceLogin: FIXTURE_ACCOUNTS.acceptance, medicalInsuranceLogin: FIXTURE_ACCOUNTS.medicalInsurance,
        }, caseNos, concurrency, ocr);
        baselineSeconds = (performance.now() - started) / 1000;
      } finally {
        await browser.close();
      }
    });
    if (ferryRows.length !== records || JSON.stringify(ferryRows) !== JSON.stringify(baselineRows)) {
      throw new Error(`the target rows differ: Ferry left ${ferryRows.length}, the baseline ${baselineRows.length}, for ${records} records`);
    }
    const ferryPerSec = records / ferrySeconds;
    const baselinePerSec = records / baselineSeconds;
    return {
      records, concurrency, ferryPerSec: round(ferryPerSec), baselinePerSec: round(baselinePerSec),
      ratio: round(ferryPerSec / baselinePerSec, 3), ferrySeconds: round(ferrySeconds, 1), baselineSeconds: round(baselineSeconds, 1),
    };
  } finally {
    await ocr.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
