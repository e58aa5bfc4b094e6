/**
 * The first transfer end to end: acceptance cases entered into medical-insurance by a
 * real worker through real Redis and Chromium, exactly once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findUnmaskedPersonalData } from '../runner/access/mask.ts';
import { defectiveCases, enterableCases, outsiderCases } from '../fixtures/cases.ts';
import { targetRowsById } from '../fixtures/inspect.ts';
import { fixtureRecords, setFaults } from './support/fixture-http.ts';
import { useFerry } from './support/ferry.ts';
import { dumpRedisText } from './support/redis-dump.ts';

const RECIPE = 'flexible-worker-enrollment';
const EXPECTED_REASON: Record<string, string> = {
  'bad-check-digit': '校验位', 'birth-mismatch': '出生日期', 'missing-phone': '手机号',
  'long-address': '地址', 'markup-name': '标记', 'gbk-unencodable-name': 'GBK',
};
const ferry = useFerry({ fixtures: { applicants: 400, faults: { captcha: false } }, concurrency: 2 });

async function runAll(caseNos: string[]) {
  const jobIds = await Promise.all(caseNos.map((caseNo) => ferry().trigger(RECIPE, { caseNo })));
  return Promise.all(jobIds.map((jobId) => ferry().outcome(jobId)));
}

describe('flexible-worker-enrollment', () => {
  it('enters 20 cases as exactly 20 rows in medical-insurance', async () => {
    const cases = enterableCases(ferry().fixtures.applicants).slice(0, 20);
    const outcomes = await runAll(cases.map((a) => a.caseNo));
    expect(outcomes.map((o) => o.state)).toEqual(Array(20).fill('DONE'));
    const rows = await targetRowsById(ferry().fixtures.urls.medicalInsurance);
    for (const [i, applicant] of cases.entries()) {
      expect(rows.get(applicant.idNumber)?.map((row) => row.serialNo)).toEqual([outcomes[i].receipt]);
    }
    expect([...rows.values()].flat()).toHaveLength(20);
  });

  it('returns the first receipt and adds no row when a case is triggered again', async () => {
    const applicant = enterableCases(ferry().fixtures.applicants)[0];
    const before = await targetRowsById(ferry().fixtures.urls.medicalInsurance);
    const [again] = await runAll([applicant.caseNo]);
    expect(again.receipt).toBe(before.get(applicant.idNumber)?.[0].serialNo);
    const after = await targetRowsById(ferry().fixtures.urls.medicalInsurance);
    expect(after.get(applicant.idNumber)).toHaveLength(1);
  });

  describe('when saves fail after the row was stored (errorAfterCommitRate 0.3)', () => {
    it('still ends every record with exactly one row, settled by find', async () => {
      await setFaults(ferry().fixtures.urls.medicalInsurance, { errorAfterCommitRate: 0.3 });
      const cases = enterableCases(ferry().fixtures.applicants).slice(20, 40);
      const outcomes = await runAll(cases.map((a) => a.caseNo));
      await setFaults(ferry().fixtures.urls.medicalInsurance, { errorAfterCommitRate: 0 });
      expect(outcomes.map((o) => o.state)).toEqual(Array(20).fill('DONE'));
      expect(outcomes.some((o) => o.created === false)).toBe(true);
      const rows = await targetRowsById(ferry().fixtures.urls.medicalInsurance);
      for (const [i, applicant] of cases.entries()) {
        expect(rows.get(applicant.idNumber)?.map((row) => row.serialNo)).toEqual([outcomes[i].receipt]);
      }
    });
  });

  describe('when the session expires in the middle of a batch', () => {
    it('logs in again and enters every record', async () => {
      await setFaults(ferry().fixtures.urls.medicalInsurance, { sessionIdleSeconds: 3 });
      const cases = enterableCases(ferry().fixtures.applicants).slice(40, 50);
      const first = await runAll(cases.slice(0, 5).map((a) => a.caseNo));
      await new Promise((resolve) => setTimeout(resolve, 4000));
      const second = await runAll(cases.slice(5).map((a) => a.caseNo));
      await setFaults(ferry().fixtures.urls.medicalInsurance, { sessionIdleSeconds: 1800 });
      expect([...first, ...second].map((o) => o.state)).toEqual(Array(10).fill('DONE'));
      const rows = await targetRowsById(ferry().fixtures.urls.medicalInsurance);
      for (const applicant of cases) expect(rows.get(applicant.idNumber)).toHaveLength(1);
      const logs = readFileSync(join(ferry().env.FERRY_DATA_DIR, 'logs', 'ferry.log'), 'utf8');
      expect(logs).toContain('session expired; logging in again');
    });
  });

  it('rejects every bad record with its reason and enters none', async () => {
    const bad = defectiveCases(ferry().fixtures.applicants);
    expect(bad.length).toBeGreaterThan(3);
    const outcomes = await runAll(bad.map((a) => a.caseNo));
    const rows = await targetRowsById(ferry().fixtures.urls.medicalInsurance);
    for (const [i, applicant] of bad.entries()) {
      expect(outcomes[i].state, applicant.defect!.kind).toBe('REJECTED');
      expect(outcomes[i].reason, applicant.defect!.kind).toContain(EXPECTED_REASON[applicant.defect!.kind]);
      expect(rows.has(applicant.idNumber)).toBe(false);
    }
  });
});

describe('for applicants from outside the city', () => {
  it('reads the 居住证号 from residence and fills it in: a three-system run', async () => {
    const outsiders = outsiderCases(ferry().fixtures.applicants).slice(0, 3);
    expect(outsiders).toHaveLength(3);
    const outcomes = await runAll(outsiders.map((a) => a.caseNo));
    expect(outcomes.map((o) => o.state)).toEqual(['DONE', 'DONE', 'DONE']);
    const { rows } = await fixtureRecords<{ rows: { sfzh: string; hjxz: string; jzzh: string }[] }>(ferry().fixtures.urls.medicalInsurance);
    for (const applicant of outsiders) {
      expect(rows.filter((row) => row.sfzh === applicant.idNumber)).toEqual([
        expect.objectContaining({ hjxz: '2', jzzh: applicant.permit!.permitNo }),
      ]);
    }
  });
});

describe('personal data', () => {
  it('appears unmasked in neither the logs nor anything in Redis (job data, ledger, events)', async () => {
    const { runtime, env } = ferry();
    const logs = readFileSync(join(env.FERRY_DATA_DIR, 'logs', 'ferry.log'), 'utf8');
    expect(logs).toContain('entered');
    expect(findUnmaskedPersonalData(logs)).toEqual([]);
    const redisText = await dumpRedisText(runtime.redis, `${runtime.keys.prefix}:*`);
    expect(redisText).toContain('flexible-worker-enrollment');
    expect(findUnmaskedPersonalData(redisText)).toEqual([]);
    const someone = enterableCases(ferry().fixtures.applicants)[0];
    expect(redisText).not.toContain(someone.name);
  });
});
