/** The residence bot's login and how it notices an expired session. */
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURE_ACCOUNTS } from '../../fixtures/data/accounts.ts';
import { createResidenceSystem } from '../../fixtures/residence/server.ts';
import { OcrPool } from '../../runner/ocr/ocr.ts';
import { useBrowser } from '../../test/support/browser.ts';
import { useSystem } from '../../test/support/system.ts';
import residence from './index.ts';
import { signedIn, TESSDATA } from './test-helpers.ts';

const browser = useBrowser();
const account = FIXTURE_ACCOUNTS.residence;
const ocr = new OcrPool({ tessdataDir: TESSDATA, langs: ['eng'] });
afterAll(() => ocr.close());

describe('the residence login', () => {
  const system = useSystem(createResidenceSystem, { account, applicants: 50 });

  it('lands on the menu with the right password', async () => {
    const { page } = await signedIn(browser(), system().url, ocr);
    expect(new URL(page.url()).pathname).toBe('/Default.aspx');
    expect(residence.isLoggedOut(page)).toBe(false);
    await page.context().close();
  });

  it('fails with the page\'s message when the password is wrong', async () => {
    const error = await signedIn(browser(), system().url, ocr, 'wrong').catch((caught: Error) => caught);
    expect(error).toMatchObject({ name: 'Error', message: 'residence refused the login: 用户名或密码错误' });
  });
});

describe('when the session sits idle past its timeout', () => {
  const system = useSystem(createResidenceSystem, { account, applicants: 50, faults: { sessionIdleSeconds: 1 } });

  it('throws SessionExpiredError from the permit list and shows the page as logged out', async () => {
    const { page, pages } = await signedIn(browser(), system().url, ocr);
    await page.waitForTimeout(1500);
    await expect(pages.permits.issuedSince('2020-01-01', ocr)).rejects.toMatchObject({ name: 'SessionExpiredError' });
    expect(residence.isLoggedOut(page)).toBe(true);
    await page.context().close();
  });

  it('throws SessionExpiredError from the holder lookup', async () => {
    const { page, pages } = await signedIn(browser(), system().url, ocr);
    await page.waitForTimeout(1500);
    await expect(pages.persons.permitOf(system().applicants[0].idNumber, ocr)).rejects.toMatchObject({ name: 'SessionExpiredError' });
    await page.context().close();
  });
});
