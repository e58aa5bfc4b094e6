/**
 * residence-permit-archive end to end: permits read (by OCR) from the residence system
 * are filed once each in the acceptance platform's 电子档案袋.
 */
import { describe, expect, it } from 'vitest';
import { fixtureRecords } from './support/fixture-http.ts';
import { useFerry } from './support/ferry.ts';

const RECIPE = 'residence-permit-archive';
const ferry = useFerry({ fixtures: { applicants: 120, faults: { captcha: false } } });

interface ArchiveRecords {
  archive: { idNumber: string; certNo: string; archiveNo: string }[];
}

describe('residence-permit-archive', () => {
  it('files each permit once with the numbers the permit carries, and a second trigger adds nothing', async () => {
    const permits = ferry().fixtures.applicants.filter((a) => a.permit && !a.defect).slice(0, 3);
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
});
