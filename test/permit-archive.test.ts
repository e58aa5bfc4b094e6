/**
 * residence-permit-archive end to end: permits read (by OCR) from the residence system
 * are filed once each in the acceptance platform's 电子档案袋.
 */
import { describe, expect, it } from 'vitest';
import { startScheduler } from '../runner/scheduler/scheduler.ts';
import { awaitSync, awaitSyncRuns } from '../runner/scheduler/sync-progress.ts';
import { fixtureRecords } from './support/fixture-http.ts';
import { useFerry } from './support/ferry.ts';

const RECIPE = 'residence-permit-archive';
const ferry = useFerry({ fixtures: { applicants: 120, faults: { captcha: false } } });

interface ArchiveRecords {
  archive: { idNumber: string; certNo: string; archiveNo: string }[];
}

/** The last day the fixture issued permits on, and the day before: what tonight's first sync lists. */
function tonight() {
  const day = ferry().fixtures.applicants.flatMap((a) => (a.permit ? [a.permit.issuedOn] : [])).sort().at(-1)!;
  return { day, since: new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10) };
}

/** Fires the nightly slot at 02:30 (Asia/Shanghai) of `day` and waits for its runs. */
async function syncNight(day: string, minutesLater = 0) {
  const scheduler = await startScheduler(ferry().runtime);
  try {
    const slot = new Date(new Date(`${day}T02:30:00+08:00`).getTime() + minutesLater * 60_000);
    const syncId = await scheduler.fireSlot(RECIPE, slot);
    const result = await awaitSync(ferry().runtime.syncs, syncId);
    return { result, summary: await awaitSyncRuns(ferry().runtime, result, syncId) };
  } finally {
    await scheduler.close();
  }
}

describe('residence-permit-archive', () => {
  it('files each permit once with the numbers the permit carries, and a second trigger adds nothing', async () => {
    const permits = ferry().fixtures.applicants.filter((a) => a.permit && !a.defect && a.permit.issuedOn < tonight().since).slice(0, 3);
    const run = async () => Promise.all((await Promise.all(permits.map((a) =>
      ferry().trigger(RECIPE, { permitNo: a.permit!.permitNo, issuedOn: a.permit!.issuedOn })))).map((id) => ferry().outcome(id)));
    const outcomes = await run();
    expect(outcomes.map((o) => o.state)).toEqual(['DONE', 'DONE', 'DONE']);
    const again = await run();
    expect(again.map((o) => o.receipt)).toEqual(outcomes.map((o) => o.receipt));
    const { archive } = await fixtureRecords<ArchiveRecords>(ferry().fixtures.urls.acceptance);
    expect(archive).toHaveLength(3);
    for (const [i, applicant] of permits.entries()) {
      expect(archive.filter((entry) => entry.certNo === applicant.permit!.permitNo)).toEqual([
        expect.objectContaining({ idNumber: applicant.idNumber, archiveNo: outcomes[i].receipt }),
      ]);
    }
  });

  it('rejects a permit that was not issued on the given day, and files nothing', async () => {
    const applicant = ferry().fixtures.applicants.find((a) => a.permit && !a.defect)!;
    const outcome = await ferry().outcome(await ferry().trigger(RECIPE, { permitNo: 'JZ202099999999', issuedOn: applicant.permit!.issuedOn }));
    expect(outcome.state).toBe('REJECTED');
    expect(outcome.reason).toContain('JZ202099999999');
  });

  describe('as a nightly sync', () => {
    it('files exactly the permits issued since the watermark, and a second sync the same night files nothing', async () => {
      const before = (await fixtureRecords<ArchiveRecords>(ferry().fixtures.urls.acceptance)).archive;
      const { day, since } = tonight();
      const expected = ferry().fixtures.applicants.filter((a) => a.permit && a.permit.issuedOn >= since);
      expect(expected.length).toBeGreaterThan(0);
      const first = await syncNight(day);
      expect(first.summary).toMatchObject({ needsReview: 0, failed: 0 });
      const after = (await fixtureRecords<ArchiveRecords>(ferry().fixtures.urls.acceptance)).archive;
      const filedNow = after.slice(before.length).map((entry) => entry.certNo).sort();
      const alreadyFiled = new Set(before.map((entry) => entry.certNo));
      expect(filedNow.length).toBeGreaterThan(0);
      expect(filedNow).toEqual(expected.map((a) => a.permit!.permitNo).filter((no) => !alreadyFiled.has(no)).sort());
      const second = await syncNight(day, 20);
      expect(second.summary).toMatchObject({ runs: 0, entered: 0 });
      expect((await fixtureRecords<ArchiveRecords>(ferry().fixtures.urls.acceptance)).archive).toHaveLength(after.length);
    });
  });
});
