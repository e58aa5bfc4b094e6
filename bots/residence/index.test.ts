/** The residence bot's login and how it notices an expired session. */
import { describe, expect, it } from 'vitest';
import { useResidence } from '../../fixtures/residence/test-helpers.ts';
import { useBrowser, usePage } from '../../test/support/browser.ts';
import { useOcr } from '../../test/support/ocr.ts';
import residence from './index.ts';
import { logIn, useSignedIn } from './test-helpers.ts';

const browser = useBrowser();
const ocr = useOcr({ langs: ['eng'] });

describe('the residence login', () => {
  const system = useResidence({ applicants: 50 });
  const page = usePage(browser);

  it('lands on the menu with the right password', async () => {
    await logIn(page(), system().url, ocr);
    expect(new URL(page().url()).pathname).toBe('/Default.aspx');
    expect(residence.isLoggedOut(page())).toBe(false);
  });

  it('fails with the page\'s message when the password is wrong', async () => {
    const error = await logIn(page(), system().url, ocr, 'wrong').catch((caught: Error) => caught);
    expect(error).toMatchObject({ name: 'Error', message: 'residence refused the login: 用户名或密码错误' });
  });
});

describe('when the session sits idle past its timeout', () => {
  const system = useResidence({ applicants: 50, faults: { sessionIdleSeconds: 1 } });
  const signedIn = useSignedIn(browser, () => system().url, ocr);

  it('throws SessionExpiredError from the permit list and shows the page as logged out', async () => {
    const { page, pages } = signedIn();
    await page.waitForTimeout(1500);
    await expect(pages.permits.issuedSince('2020-01-01', ocr)).rejects.toMatchObject({ name: 'SessionExpiredError' });
    expect(residence.isLoggedOut(page)).toBe(true);
  });

  it('throws SessionExpiredError from the holder lookup', async () => {
    const { page, pages } = signedIn();
    await page.waitForTimeout(1500);
    await expect(pages.persons.permitsOf(system().applicants[0].idNumber, ocr)).rejects.toMatchObject({ name: 'SessionExpiredError' });
  });
});
