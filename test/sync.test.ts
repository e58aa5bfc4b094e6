/**
 * Syncs end to end: a fired slot lists the accepted cases since the watermark on the
 * acceptance fixture and a real worker enters exactly the new ones into medical-insurance;
 * a second sync the same night enters nothing; `ferry sync --wait --json` prints JSON lines.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { daysBefore } from '../runner/scheduler/slots.ts';
import { startScheduler } from '../runner/scheduler/scheduler.ts';
import { awaitSync, awaitSyncRuns } from '../runner/scheduler/sync-progress.ts';
import { eligibleCases } from '../fixtures/cases.ts';
import { targetRowsById } from '../fixtures/inspect.ts';
import { useFerry } from './support/ferry.ts';
import { FERRY_BIN } from '../cli/ferry-process.ts';

const RECIPE = 'flexible-worker-enrollment';
const ferry = useFerry({ fixtures: { applicants: 150, faults: { captcha: false } }, concurrency: 2 });

/** The latest day the fixture accepted cases on, and 02:00 (Asia/Shanghai) that day: tonight's slot. */
function tonight() {
  const day = ferry().fixtures.applicants.map((a) => a.acceptedOn).sort().at(-1)!;
  return { day, slot: new Date(`${day}T02:00:00+08:00`) };
}

async function fireAndFollow(slot: Date) {
  const scheduler = await startScheduler(ferry().runtime);
  try {
    const syncId = await scheduler.fireSlot(RECIPE, slot);
    const result = await awaitSync(ferry().runtime.syncs, syncId);
    return { result, summary: await awaitSyncRuns(ferry().runtime, result, syncId) };
  } finally {
    await scheduler.close();
  }
}

describe('a scheduled sync', () => {
  it('enters exactly the cases accepted since the watermark, each as one row', async () => {
    const { day, slot } = tonight();
    const since = daysBefore(day, 1);
    const { result, summary } = await fireAndFollow(slot);
    expect(result.since).toBe(since);
    const listed = eligibleCases(ferry().fixtures.applicants).filter((a) => a.acceptedOn >= since);
    // What the recipe accepts: every clean case, local or (with its residence permit) from outside the city.
    const expected = listed.filter((a) => !a.defect);
    expect(expected.length).toBeGreaterThan(0);
    expect(result.listed).toBe(listed.length);
    expect(summary).toMatchObject({ runs: listed.length, entered: expected.length, failed: 0, needsReview: 0 });
    expect(summary.rejected).toBe(listed.length - expected.length);
    const rows = await targetRowsById(ferry().fixtures.urls.medicalInsurance);
    expect([...rows.keys()].sort()).toEqual(expected.map((a) => a.idNumber).sort());
    for (const applicant of expected) expect(rows.get(applicant.idNumber)).toHaveLength(1);
    expect(await ferry().runtime.syncState.watermark(RECIPE)).toBe(day);
  });

  it('enters nothing and fans out no run when it runs a second time the same night', async () => {
    const { day, slot } = tonight();
    const rowsBefore = await targetRowsById(ferry().fixtures.urls.medicalInsurance);
    const runsBefore = await ferry().runtime.queue.getJobCountByTypes('waiting', 'active', 'delayed', 'completed', 'failed');
    const { result, summary } = await fireAndFollow(new Date(slot.getTime() + 30 * 60_000));
    expect(result.since).toBe(day);
    expect(result.keyIds).toEqual([]);
    expect(result.skipped).toBe(result.listed);
    expect(summary).toMatchObject({ runs: 0, entered: 0 });
    expect(await ferry().runtime.queue.getJobCountByTypes('waiting', 'active', 'delayed', 'completed', 'failed')).toBe(runsBefore);
    expect(await targetRowsById(ferry().fixtures.urls.medicalInsurance)).toEqual(rowsBefore);
  });
});

describe('ferry sync --wait --json', () => {
  it('prints only JSON lines, the last one the summary', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [FERRY_BIN, 'sync', RECIPE, '--wait', '--json'], {
      env: { ...process.env, ...ferry().env }, timeout: 120_000,
    });
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines[0]).toMatchObject({ recipe: RECIPE, since: tonight().day });
    expect(lines[0].sync).toMatch(/^sync__flexible-worker-enrollment__\d{8}T\d{6}Z$/);
    expect(lines.at(-1)).toMatchObject({ recipe: RECIPE, sync: lines[0].sync, runs: 0, entered: 0, rejected: 0, failed: 0, topRejections: [] });
  });
});
