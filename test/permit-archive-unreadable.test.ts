/**
 * A nightly residence-permit sync over a list with a row whose permit number cannot be read:
 * every readable row is filed, the unreadable one becomes one run REJECTED with a plain,
 * masked reason for ops, and the watermark moves on, so the sync is never stuck on it.
 */
import { describe, expect, it } from 'vitest';
import { daysBefore } from '../runner/scheduler/slots.ts';
import { startScheduler } from '../runner/scheduler/scheduler.ts';
import { awaitSync, awaitSyncRuns } from '../runner/scheduler/sync-progress.ts';
import { readStatus } from '../runner/status/status.ts';
import { fixtureRecords, setFaults } from './support/fixture-http.ts';
import { useFerry } from './support/ferry.ts';

const RECIPE = 'residence-permit-archive';
const ferry = useFerry({ fixtures: { applicants: 160, faults: { captcha: false } } });

/** Fires the nightly slot at 02:30 (Asia/Shanghai) of `day` and waits for its runs. */
async function syncNight(day: string, minutesLater = 0) {
  const scheduler = await startScheduler(ferry().runtime);
  try {
    const slot = new Date(new Date(`${day}T02:30:00+08:00`).getTime() + minutesLater * 60_000);
    const syncId = await scheduler.fireSlot(RECIPE, slot);
    const result = await awaitSync(ferry().runtime.syncs, syncId);
    return awaitSyncRuns(ferry().runtime, result, syncId);
  } finally {
    await scheduler.close();
  }
}

describe('when one listed row has a permit number no one can read', () => {
  it('files every readable row, flags the unreadable one REJECTED with its reason, and moves the watermark on', async () => {
    const permits = ferry().fixtures.applicants.filter((a) => a.permit).sort((a, b) =>
      a.permit!.issuedOn.localeCompare(b.permit!.issuedOn) || a.permit!.permitNo.localeCompare(b.permit!.permitNo));
    const day = permits.at(-1)!.permit!.issuedOn;
    // Within the week the archive files without asking ops first.
    const since = permits.find((a) => a.permit!.issuedOn >= daysBefore(day, 7))!.permit!.issuedOn;
    const listed = permits.filter((a) => a.permit!.issuedOn >= since);
    expect(listed.filter((a) => a.defect)).toEqual([]);
    const bad = listed[2];
    await ferry().runtime.syncState.advanceWatermark(RECIPE, since);
    await setFaults(ferry().fixtures.urls.residence, { illegibleNumbers: [bad.permit!.permitNo] });

    const summary = await syncNight(day);
    expect(summary).toMatchObject({ since, listed: listed.length, runs: listed.length, rejected: 1, needsReview: 0, failed: 0 });
    const [rejection] = summary.topRejections;
    expect(rejection.reason).toMatch(/^居住证列表 \d{4}-\d{2}-\d{2} 签发第 \d+ 行 .*无法可靠识别居住证号 \(could not read the permit number reliably\)$/);
    expect(rejection.reason).toContain(bad.permit!.issuedOn);
    expect(rejection.reason).not.toContain(bad.name);

    const filed = (await fixtureRecords<{ archive: { certNo: string }[] }>(ferry().fixtures.urls.acceptance)).archive.map((e) => e.certNo);
    expect(filed.sort()).toEqual(listed.filter((a) => a !== bad).map((a) => a.permit!.permitNo).sort());
    expect(await ferry().runtime.syncState.watermark(RECIPE)).toBe(day);

    const history = ferry().runtime.history;
    const flagged = (await history.list('attention')).filter((run) => run.recipe === RECIPE);
    expect(flagged.map((run) => [run.state, run.reason])).toEqual([['REJECTED', rejection.reason]]);
    expect(flagged[0].keyId).toMatch(/^u-[0-9a-f]{24}$/);
    const today = (await readStatus(ferry().runtime)).recipes.find((recipe) => recipe.id === RECIPE)!.today;
    expect(today).toMatchObject({ entered: listed.length - 1, rejected: 1 });

    expect(await syncNight(day, 20)).toMatchObject({ runs: 0, entered: 0 });
  }, 480_000);
});
