/**
 * The fourth system through its recipe, as a new integrator's bot meets it: HTTPS with a
 * self-signed certificate, HTTP Basic auth in front of a form log-in (two accounts from the
 * secret store), a table form with unlinked captions, a unit picker in a popup, an upload,
 * a 回执 PDF kept with the run, a session that times out in place, and a 15 s result grid.
 */
import { describe, expect, it } from 'vitest';
import { outsiderCases } from '../fixtures/cases.ts';
import { housingFundAccountsById } from '../fixtures/inspect.ts';
import { postFixtureJson } from '../fixtures/housing-fund/https-client.ts';
import { evidenceStoreFor } from '../runner/evidence/evidence-store.ts';
import { useBrowser } from './support/browser.ts';
import { useDashboard } from './support/dashboard.ts';
import { shoot, useDashboardBrowser } from './support/dashboard-browser.ts';
import { useFerry } from './support/ferry.ts';

const RECIPE = 'housing-fund-account-opening';
const ferry = useFerry({ concurrency: 2, fixtures: { applicants: 200, faults: { captcha: false } } });
const browser = useBrowser();
const dashboard = useDashboard(ferry);
const people = useDashboardBrowser(browser, dashboard);

const url = () => ferry().fixtures.urls.housingFund;
const applicants = () => outsiderCases(ferry().fixtures.applicants);

async function open(caseNo: string) {
  return ferry().outcome(await ferry().trigger(RECIPE, { caseNo }));
}

/** The kept documents of a run's evidence folder, decrypted. */
async function keptDocuments(folder: string | undefined): Promise<Record<string, Buffer>> {
  const { config, secrets, log } = ferry().runtime;
  const store = evidenceStoreFor(config, secrets, log);
  const files = folder ? (await store.files(folder)).filter((file) => file.startsWith('kept-')) : [];
  return Object.fromEntries(await Promise.all(files.map(async (file) => [file, (await store.read(folder!, file))!] as const)));
}

describe('an applicant from outside the city, accepted for flexible work', () => {
  it('gets one housing-fund account, under the flexible workers\' unit, with the scan, and the 回执 PDF kept with the run', async () => {
    const [applicant] = applicants();
    const outcome = await open(applicant.caseNo);
    expect(outcome).toMatchObject({ state: 'DONE', created: true });
    const [account, ...more] = (await housingFundAccountsById(url())).get(applicant.idNumber) ?? [];
    expect(more).toEqual([]);
    expect(account).toMatchObject({ accountNo: outcome.receipt, name: applicant.name, employerName: '江城市灵活就业人员住房公积金缴存专户', monthlyBase: '2480' });
    expect(account.scan.contentType).toBe('image/png');
    const documents = await keptDocuments(outcome.evidence);
    expect(Object.keys(documents)).toEqual([`kept-huizhi-${outcome.receipt}.pdf`]);
    expect(documents[`kept-huizhi-${outcome.receipt}.pdf`].subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const page = await people.logIn('opsy');
    await page.goto(`/ops/runs/${encodeURIComponent(`${RECIPE}__${applicant.caseNo}`)}`);
    const link = page.locator('section.documents').getByRole('link', { name: `huizhi-${outcome.receipt}.pdf` });
    const download = page.waitForEvent('download');
    await link.click();
    const saved = await (await download).createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of saved) chunks.push(Buffer.from(chunk as Buffer));
    expect(Buffer.concat(chunks).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await shoot(page, 'ops-run-documents');
  });
});

describe('when the system times the session out in place (a 200 page saying 会话已超时)', () => {
  it('notices, logs in again through the gateway and the form, and opens the account once', async () => {
    const [, applicant] = applicants();
    expect((await open(applicants()[2].caseNo)).state).toBe('DONE');
    await postFixtureJson(`${url()}/__fixture/expire-sessions`);
    const outcome = await open(applicant.caseNo);
    expect(outcome).toMatchObject({ state: 'DONE', created: true });
    expect((await housingFundAccountsById(url())).get(applicant.idNumber)?.map((row) => row.accountNo)).toEqual([outcome.receipt]);
  });
});

describe('when the system saves the account and then answers 500', () => {
  it('looks it up in the 15 s grid before writing again, and the applicant has one account', async () => {
    const applicant = applicants()[3];
    await postFixtureJson(`${url()}/__fixture/faults`, { errorAfterCommitRate: 1 });
    let outcome;
    try {
      outcome = await open(applicant.caseNo);
    } finally {
      await postFixtureJson(`${url()}/__fixture/faults`, { errorAfterCommitRate: 0 });
    }
    expect(outcome).toMatchObject({ state: 'DONE', created: false });
    expect((await housingFundAccountsById(url())).get(applicant.idNumber)?.map((row) => row.accountNo)).toEqual([outcome.receipt]);
    expect((await ferry().runtime.ledger.get(RECIPE, applicant.caseNo))?.state).toBe('DONE');
  }, 300_000);
});

describe('a case without a residence-permit scan', () => {
  it('is refused with the reason, and no account is opened', async () => {
    const local = ferry().fixtures.applicants.find((a) => a.status === '已受理' && !a.permit && !a.defect)!;
    const outcome = await open(local.caseNo);
    expect(outcome.state).toBe('REJECTED');
    expect(outcome.reason).toContain('没有居住证扫描件');
    expect((await housingFundAccountsById(url())).has(local.idNumber)).toBe(false);
  });
});
