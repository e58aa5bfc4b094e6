/**
 * Managing users: an admin adds one in a real Chromium and its generated password works; a
 * forged cross-site POST adds no one; the store keeps only scrypt hashes and refuses bad input.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { useBrowser } from './support/browser.ts';
import { PEOPLE, useDashboard } from './support/dashboard.ts';
import { shoot, useDashboardBrowser } from './support/dashboard-browser.ts';
import { useFerry } from './support/ferry.ts';

const ferry = useFerry({ fixtures: { applicants: 150, faults: { captcha: false } }, workers: 0 });
const browser = useBrowser();
const dashboard = useDashboard(ferry);
const people = useDashboardBrowser(browser, dashboard);
const users = () => dashboard().users;

describe('an admin', () => {
  it('adds a user whose generated password works', async () => {
    const page = await people.logIn('boss');
    await page.goto('/users');
    await page.getByLabel('用户名').fill('newclerk');
    await page.getByLabel('角色', { exact: true }).last().selectOption('staff');
    await page.getByRole('button', { name: '添加' }).click();
    const notice = await page.locator('.notice').textContent();
    const password = /：(\S+)（/.exec(notice ?? '')?.[1];
    expect(password).toMatch(/^[\w-]{16}$/);
    await shoot(page, 'users');
    const verified = await users().verify('newclerk', password!);
    expect(verified?.role).toBe('staff');
  });
});

describe('a cross-site POST', () => {
  let attacker: Server;
  afterAll(() => new Promise<void>((resolve) => attacker?.close(() => resolve())));

  it('is refused whether the browser sends the cookie or not, without the CSRF token', async () => {
    attacker = createServer((_request, response) => {
      response.setHeader('content-type', 'text/html');
      response.end(`<form method="post" action="${dashboard().at('/users')}"><input name="name" value="mallory"><input name="role" value="admin"></form><script>document.forms[0].submit()</script>`);
    });
    await new Promise<void>((resolve) => attacker.listen(0, 'localhost', resolve));
    const page = await people.logIn('boss');
    await page.goto(`http://localhost:${(attacker.address() as { port: number }).port}/`);
    await page.waitForURL(dashboard().at('/overview'));
    const sameSite = await page.request.post('/users', { form: { name: 'mallory', role: 'admin' } });
    expect(sameSite.status()).toBe(403);
    const wrongToken = await page.request.post('/users', { form: { name: 'mallory', role: 'admin', _csrf: 'forged' } });
    expect(wrongToken.status()).toBe(403);
    expect(await users().get('mallory')).toBeNull();
  });
});

describe('the user store', () => {
  it('accepts the right password only, for known names only', async () => {
    expect((await users().verify('clerk', PEOPLE.clerk.password))?.role).toBe('staff');
    expect(await users().verify('clerk', 'not-the-password')).toBeNull();
    expect(await users().verify('no-such-user', PEOPLE.clerk.password)).toBeNull();
  });

  it('keeps scrypt hashes, never the password, and refuses duplicates and short passwords', async () => {
    const stored = await ferry().runtime.redis.hgetall(ferry().runtime.keys.user('clerk'));
    expect(stored.hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(JSON.stringify(stored)).not.toContain(PEOPLE.clerk.password);
    await expect(users().add('clerk', 'staff', PEOPLE.clerk.password, 'test')).rejects.toThrow('already exists');
    await expect(users().add('short-user', 'staff', 'short', 'test')).rejects.toThrow('at least 12');
    await expect(users().add('Bad Name', 'staff', PEOPLE.clerk.password, 'test')).rejects.toThrow('user name');
    await expect(users().add('role-user', 'root', PEOPLE.clerk.password, 'test')).rejects.toThrow('role');
  });
});
