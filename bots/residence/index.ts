/**
 * Bot for 公安居住证管理 (the residence-permit system), ASP.NET WebForms style:
 * postback paging, a results grid inside an iframe, a `window.open` person picker and
 * ID and permit numbers shown only as images, read with validated OCR. Page-object
 * methods that read those images take the run's `ocr`.
 */
import { defineBot } from '../../runner/index.ts';
import { PermitListPage } from './permit-list-page.ts';
import { PersonPermitPage } from './person-permit-page.ts';
import { onLoginPage } from './webform-navigation.ts';

export default defineBot({
  id: 'residence',
  title: '公安居住证管理',
  maxSessions: 2,
  login: {
    async form({ page, credentials, baseUrl }) {
      await page.goto(`${baseUrl}/Login.aspx`);
      await page.getByLabel('用户名').fill(credentials.username);
      await page.getByLabel('密码').fill(credentials.password);
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '登录' }).click()]);
      if (onLoginPage(page)) {
        // WebForms Label: a bare span whose id is the only hook.
        const [message] = await page.locator('#lblMsg').allTextContents();
        throw new Error(`residence refused the login: ${message ?? 'no message'}`);
      }
    },
  },
  isLoggedOut: (page) => onLoginPage(page),
  pages: (page, baseUrl) => ({
    permits: new PermitListPage(page, baseUrl),
    persons: new PersonPermitPage(page, baseUrl),
  }),
});
