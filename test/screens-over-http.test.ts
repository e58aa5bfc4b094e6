/**
 * Screens read over HTTP give what the browser gives: every fixture screen a bot reads over
 * HTTP is read both ways here, on the same session, and the two must agree on the value or
 * on the error (a missing case, a dirty record, a lapsed session). A failed run's evidence
 * keeps the bytes each read parsed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CaseDetailPage } from '../bots/acceptance/case-detail-page.ts';
import acceptanceBot from '../bots/acceptance/index.ts';
import { EnrollmentSearch } from '../bots/medical-insurance/enrollment-search.ts';
import { signIn, useAcceptance } from '../fixtures/acceptance/test-helpers.ts';
import { DialogLog, login, openFromMenu, SAMPLE_ENTRY, saveEntry, useMedicalInsurance } from '../fixtures/medical-insurance/test-helpers.ts';
import type { ReadsOver } from '../runner/index.ts';
import type { Lane } from '../runner/browser/session-pool.ts';
import { takeHttpReads } from '../runner/browser/screen-over-http.ts';
import { captureLanes } from '../runner/evidence/page-capture.ts';
import { useBrowser, usePage } from './support/browser.ts';

const browser = useBrowser();
const acceptance = useAcceptance();
const medicalInsurance = useMedicalInsurance();

/** A read's value, or its error's class and message: what a recipe would see. */
async function outcome(read: () => Promise<unknown>): Promise<{ value: unknown } | { error: string }> {
  return read().then((value) => ({ value }), (error: Error) => ({ error: `${error.name}: ${error.message}` }));
}

/** The outcome of `read` by each path, browser first. */
async function bothWays(read: (over: ReadsOver) => Promise<unknown>) {
  return { browser: await outcome(() => read('browser')), http: await outcome(() => read('http')) };
}

/** The files a failure's evidence would hold for `page`'s context, by name. */
async function evidenceOf(page: Page, botId: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const scratch = await mkdtemp(join(tmpdir(), 'ferry-http-evidence-'));
  try {
    const lane = { bot: { ...acceptanceBot, id: botId }, context: page.context(), page } as unknown as Lane;
    await captureLanes([lane], scratch, async (name, content) => void files.set(name, content));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return files;
}

describe('the acceptance case detail', () => {
  const page = usePage(browser, { per: 'suite', setUp: (opened) => signIn(opened, acceptance().url) });
  const detail = (over: ReadsOver) => new CaseDetailPage(page(), acceptance().url, { readsOver: over });

  it('reads every case the same both ways: entered, refused as dirty, or missing', async () => {
    const caseNos = [...acceptance().applicants.slice(0, 40).map((applicant) => applicant.caseNo), 'SL-0000-NOPE'];
    const outcomes = [];
    for (const caseNo of caseNos) {
      const both = await bothWays((over) => detail(over).applicant(caseNo));
      expect(both.http, caseNo).toEqual(both.browser);
      outcomes.push(both.http);
    }
    // Both branches were compared: records read, and records refused with the same message.
    expect(outcomes.filter((read) => 'value' in read).length).toBeGreaterThan(20);
    expect(outcomes.filter((read) => 'error' in read).map((read) => (read as { error: string }).error)).toContain(
      'BusinessError: 受理平台中不存在案件 SL-0000-NOPE (case SL-0000-NOPE does not exist in the acceptance platform)');
  });

  it('keeps the bytes it parsed for a failed run\'s evidence', async () => {
    const caseNo = acceptance().applicants[0].caseNo;
    takeHttpReads(page().context()); // as a run's start does
    await detail('http').applicant(caseNo);
    const files = await evidenceOf(page(), 'acceptance');
    const html = files.get('acceptance-http-1.html')?.toString('utf8');
    expect(html).toContain('id="applicant"');
    expect(html).toContain(caseNo);
  });

  describe('when the session has lapsed', () => {
    const loggedOut = usePage(browser);

    it('says so both ways', async () => {
      const caseNo = acceptance().applicants[0].caseNo;
      const both = await bothWays((over) => new CaseDetailPage(loggedOut(), acceptance().url, { readsOver: over }).applicant(caseNo));
      expect(both.browser).toEqual({ error: expect.stringMatching(/^SessionExpiredError/) });
      expect(both.http).toEqual(both.browser);
    });
  });
});

describe('the medical-insurance 参保人员查询 (GBK, in a frameset)', () => {
  const page = usePage(browser, { per: 'suite', setUp: (opened) => login(opened, medicalInsurance().url) });
  const search = (over: ReadsOver) => new EnrollmentSearch(page(), medicalInsurance().url, { readsOver: over });
  const OTHER = { ...SAMPLE_ENTRY, xm: '李秀英', sfzh: '32010419900214002X', xb: '2', csrq: '19900214', cbxz: '11' };

  beforeAll(async () => {
    const form = await openFromMenu(page(), '灵活就业人员参保登记', '/cbdj/flexible.jsp');
    const dialogs = new DialogLog(page());
    for (const entry of [OTHER, SAMPLE_ENTRY, OTHER]) await saveEntry(form, dialogs, entry);
  });

  it('finds the same registrations both ways, none for a stranger', async () => {
    for (const [idNumber, rows] of [[OTHER.sfzh, 2], [SAMPLE_ENTRY.sfzh, 1], ['320102199901010000', 0]] as const) {
      const both = await bothWays((over) => search(over).byIdNumber(idNumber));
      expect(both.http).toEqual(both.browser);
      expect((both.http as { value: unknown[] }).value).toHaveLength(rows);
    }
    expect(await search('http').byIdNumber(OTHER.sfzh)).toEqual([
      expect.objectContaining({ name: '李秀英', idNumber: OTHER.sfzh, gender: '女' }),
      expect.objectContaining({ name: '李秀英', idNumber: OTHER.sfzh, gender: '女' }),
    ]);
  });

  it('keeps the GBK bytes it parsed for a failed run\'s evidence', async () => {
    takeHttpReads(page().context());
    await search('http').byIdNumber(OTHER.sfzh);
    const files = await evidenceOf(page(), 'medical-insurance');
    const html = iconv.decode(files.get('medical-insurance-http-1.html')!, 'gbk');
    expect(html).toContain('参保人员查询');
    expect(html).toContain('李秀英');
  });

  describe('when the session has lapsed', () => {
    const loggedOut = usePage(browser);

    it('says so both ways (the runner logs in again on the class; the messages differ)', async () => {
      const both = await bothWays((over) => new EnrollmentSearch(loggedOut(), medicalInsurance().url, { readsOver: over }).byIdNumber(OTHER.sfzh));
      expect(both.browser).toEqual({ error: expect.stringMatching(/^SessionExpiredError/) });
      expect(both.http).toEqual({ error: expect.stringMatching(/^SessionExpiredError/) });
    });
  });
});
