/**
 * Bot for 统一受理平台 (the acceptance platform), the source of applications: a modern-ish
 * UTF-8 web app with labelled forms and a session cookie.
 */
import { defineBot } from '../../runner/index.ts';
import { ArchivePages } from './archive-pages.ts';
import { CaseDetailPage } from './case-detail-page.ts';
import { CaseListPage } from './case-list-page.ts';

export default defineBot({
  id: 'acceptance',
  title: '统一受理平台',
  maxSessions: 4,
  login: {
    async form({ page, credentials, baseUrl }) {
      await page.goto(`${baseUrl}/login`);
      await page.getByLabel('用户名').fill(credentials.username);
      await page.getByLabel('密码').fill(credentials.password);
      await page.getByRole('button', { name: '登录' }).click();
      await page.waitForLoadState('domcontentloaded');
      if (page.url().includes('/login')) {
        const message = await page.getByRole('alert').textContent().catch(() => null);
        throw new Error(`acceptance refused the login: ${message ?? 'no message'}`);
      }
    },
  },
  isLoggedOut: (page) => new URL(page.url()).pathname === '/login',
  pages: (page, baseUrl) => ({
    cases: new CaseDetailPage(page, baseUrl, { readsOver: 'http' }),
    caseList: new CaseListPage(page, baseUrl),
    archive: new ArchivePages(page, baseUrl),
  }),
});
