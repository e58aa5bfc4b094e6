/**
 * Bot for 住房公积金管理系统 (the housing provident fund): HTTPS with a self-signed
 * certificate, HTTP Basic auth in front of a form log-in (two accounts), forms laid out in
 * tables with unlinked captions, a unit picker in a popup window, a result grid that takes up
 * to 15 s, and a session that times out in place (a 200 page saying 会话已超时).
 */
import { defineBot } from '../../runner/index.ts';
import { AccountQueryPage } from './account-query-page.ts';
import { logIn } from './login.ts';
import { showsLoggedOut } from './navigation.ts';
import { OpenAccountPage } from './open-account-page.ts';

export default defineBot({
  id: 'housing-fund',
  title: '住房公积金管理系统',
  maxSessions: 2,
  login: { http: true, form: logIn },
  isLoggedOut: showsLoggedOut,
  browser: {
    // The department's own certificate, which no public authority signed.
    context: { ignoreHTTPSErrors: true, acceptDownloads: true },
    timeouts: { action: 30_000, navigation: 30_000 },
    // A clerk's 开户 can sit idle while the applicant finds a document: keep the session longer.
    idleMs: 120_000,
  },
  pages: (page, baseUrl) => ({
    accounts: new OpenAccountPage(page, baseUrl),
    query: new AccountQueryPage(page, baseUrl),
  }),
});
