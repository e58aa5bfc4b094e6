/**
 * What Ferry leaves behind after real runs that logged in to every fixture system: no
 * plaintext password anywhere in Redis or the data dir (logs, evidence, traces unzipped),
 * evidence owner-only, and evidence past FERRY_EVIDENCE_RETENTION_DAYS swept.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_ACCOUNTS } from '../fixtures/data/accounts.ts';
import { startWorker } from '../runner/run/worker.ts';
import { defectiveCases, outsiderCases } from '../fixtures/cases.ts';
import { useFerry } from './support/ferry.ts';
import { dumpRedisText } from './support/redis-dump.ts';

const RECIPE = 'flexible-worker-enrollment';
const PASSWORDS = Object.values(FIXTURE_ACCOUNTS).flatMap((account) => ['gateway' in account ? account.gateway.password : [], account.password].flat());
const ferry = useFerry({ env: { FERRY_EVIDENCE_RETENTION_DAYS: '2' }, fixtures: { applicants: 300, faults: { captcha: false } } });
const evidenceDir = () => join(ferry().env.FERRY_DATA_DIR, 'evidence');

/** Every file under `dir`, with its text; zip archives as their unzipped entries (sealed evidence is not a zip). */
function filesUnder(dir: string): { path: string; text: string }[] {
  const isZip = (path: string) => readFileSync(path).subarray(0, 2).toString() === 'PK';
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((name) => join(dir, name)).filter((path) => statSync(path).isFile())
    .map((path) => ({ path, text: isZip(path) ? execFileSync('unzip', ['-p', path], { maxBuffer: 256 * 1024 * 1024 }).toString('latin1') : readFileSync(path, 'latin1') }));
}

async function runOneGoodAndOneBad(): Promise<void> {
  const outsider = outsiderCases(ferry().fixtures.applicants)[0];
  const bad = defectiveCases(ferry().fixtures.applicants)[0];
  const outcomes = await Promise.all([outsider, bad].map(async (a) => ferry().outcome(await ferry().trigger(RECIPE, { caseNo: a.caseNo }))));
  expect(outcomes.map((o) => o.state)).toEqual(['DONE', 'REJECTED']);
}

describe('after runs that logged in to all three systems', () => {
  it('no plaintext password is anywhere in Redis, nor in any file of the data dir', async () => {
    await runOneGoodAndOneBad();
    const redisText = await dumpRedisText(ferry().runtime.redis);
    expect(redisText).toContain(':credentials:medical-insurance');
    const files = filesUnder(ferry().env.FERRY_DATA_DIR);
    expect(files.some((file) => file.path.endsWith('.trace.zip'))).toBe(true);
    expect(files.some((file) => file.path.endsWith('ferry.log'))).toBe(true);
    for (const password of PASSWORDS) {
      expect(redisText).not.toContain(password);
      expect(files.filter((file) => file.text.includes(password)).map((file) => file.path)).toEqual([]);
    }
  });

  it('keeps evidence owner-only: folders 0700, files 0600', () => {
    const folders = readdirSync(evidenceDir()).map((name) => join(evidenceDir(), name));
    expect(folders.length).toBeGreaterThan(0);
    for (const path of [evidenceDir(), ...folders]) expect(statSync(path).mode & 0o777, path).toBe(0o700);
    for (const folder of folders) {
      for (const name of readdirSync(folder)) expect(statSync(join(folder, name)).mode & 0o777, name).toBe(0o600);
    }
  });
});

describe('evidence older than FERRY_EVIDENCE_RETENTION_DAYS', () => {
  it('is deleted when a worker starts, and younger evidence is kept', async () => {
    const plant = (name: string, ageDays: number) => {
      const folder = join(evidenceDir(), name);
      mkdirSync(folder, { mode: 0o700 });
      writeFileSync(join(folder, 'manifest.json'), '{}', { mode: 0o600 });
      const when = new Date(Date.now() - ageDays * 86_400_000);
      utimesSync(folder, when, when);
    };
    plant('old-run-1', 3);
    plant('recent-run-1', 1);
    const before = readdirSync(evidenceDir());
    const worker = await startWorker(ferry().runtime, { ocr: ferry().ocr });
    await worker.close();
    expect(readdirSync(evidenceDir()).sort()).toEqual(before.filter((name) => name !== 'old-run-1').sort());
  });
});
