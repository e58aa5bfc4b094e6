/**
 * Bot for 医保经办系统 (medical-insurance back office, about 2005): GBK pages in a
 * frameset, a login with an image captcha read by OCR, and sessions that lapse when idle.
 */
import { defineBot } from '../../runner/index.ts';
import { EnrollmentForm } from './enrollment-form.ts';
import { EnrollmentSearch } from './enrollment-search.ts';
import { logIn } from './login.ts';

export default defineBot({
  id: 'medical-insurance',
  title: '医保经办系统',
  maxSessions: 2,
  login: logIn,
  isLoggedOut: (page) => page.url().includes('/login.jsp'),
  pages: (page, baseUrl) => ({
    enrollment: new EnrollmentForm(page, baseUrl),
    search: new EnrollmentSearch(page, baseUrl),
  }),
});
