/**
 * Bot for 医保经办系统 (medical-insurance back office, about 2005): GBK pages in a
 * frameset, a login with an image captcha read by OCR, and sessions that lapse when idle.
 */
import { defineBot } from '../../runner/index.ts';
import { EnrollmentForm, enrollmentFormCanary } from './enrollment-form.ts';
import { EnrollmentSearch } from './enrollment-search.ts';
import { logIn } from './login.ts';
import { showsTimeoutNotice } from './main-frame.ts';
import { StreetCodeList } from './street-code-list.ts';

export default defineBot({
  id: 'medical-insurance',
  title: '医保经办系统',
  maxSessions: 2,
  login: { form: logIn },
  // Logged out: on the login page, or a frame shows 会话已超时 and has not bounced there yet.
  isLoggedOut: async (page) => page.url().includes('/login.jsp') || (await showsTimeoutNotice(page)),
  pages: (page, baseUrl) => ({
    enrollment: new EnrollmentForm(page, baseUrl),
    search: new EnrollmentSearch(page, baseUrl, { readsOver: 'http' }),
    streets: new StreetCodeList(page, baseUrl),
  }),
  canaries: [enrollmentFormCanary],
});
