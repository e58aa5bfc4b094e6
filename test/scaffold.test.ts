/**
 * `ferry new bot` and `ferry new recipe`, as an integrator starts a system: the bot's log-in is
 * read off the live log-in page (the acceptance platform's, the medical-insurance one with its
 * captcha, and the housing-fund one behind HTTP auth and a self-signed certificate), the files
 * compile, and the generated tests pass against the fixture system.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_ACCOUNTS } from '../fixtures/data/accounts.ts';
import { useFerry } from './support/ferry.ts';
import { runFerry } from './support/ferry-cli.ts';
import { typeErrorsOf, useGeneratedDir } from './support/generated-code.ts';
import { runVitest } from './support/vitest-child.ts';

const ferry = useFerry({ workers: 0 });
const generated = useGeneratedDir();
const bots = () => join(generated(), 'bots');
const recipes = () => join(generated(), 'recipes');

const { gateway } = FIXTURE_ACCOUNTS.housingFund;
const SYSTEMS = {
  acceptance: { id: 'intake', path: '/login', account: FIXTURE_ACCOUNTS.acceptance, url: () => ferry().fixtures.urls.acceptance, args: [], env: {}, testEnv: {} },
  medicalInsurance: {
    id: 'medical-copy', path: '/login.jsp', account: FIXTURE_ACCOUNTS.medicalInsurance, url: () => ferry().fixtures.urls.medicalInsurance, args: [], env: {}, testEnv: {},
  },
  housingFund: {
    id: 'gjj', path: '/login.do', account: FIXTURE_ACCOUNTS.housingFund, url: () => ferry().fixtures.urls.housingFund,
    args: ['--insecure-tls', '--http-user', gateway.username], env: { FERRY_HTTP_PASSWORD: gateway.password },
    testEnv: { FERRY_TEST_GJJ_HTTP_USER: gateway.username, FERRY_TEST_GJJ_HTTP_PASSWORD: gateway.password },
  },
};

describe.each(Object.entries(SYSTEMS))('ferry new bot on the %s log-in page', (_, system) => {
  it('writes a bot that compiles and whose own test logs in to the system', async () => {
    const result = await runFerry(['new', 'bot', system.id, '--url', `${system.url()}${system.path}`, ...system.args, '--dir', bots()], { ...ferry().env, ...system.env });
    expect(result.stderr).toContain(`wrote ${join(bots(), system.id, 'index.ts')}`);
    expect(result.code).toBe(0);
    const folder = join(bots(), system.id);
    expect(readdirSync(folder).sort()).toEqual(['home-page.ts', 'index.ts', 'login.ts', `${system.id}.test.ts`, 'schemas.ts'].sort());
    expect(typeErrorsOf(readdirSync(folder).map((file) => join(folder, file)))).toEqual([]);

    const env = system.id.toUpperCase().replaceAll('-', '_');
    const test = await runVitest(join(folder, `${system.id}.test.ts`), {
      [`FERRY_URL_${env}`]: system.url(), [`FERRY_TEST_${env}_USER`]: system.account.username, [`FERRY_TEST_${env}_PASSWORD`]: system.account.password, ...system.testEnv,
    });
    expect(test.output).toMatch(/1 passed/);
    expect(test.code).toBe(0);
    // Chromium twice, a type check and a vitest child: minutes on a loaded 2-core machine.
  }, 600_000);
});

describe('ferry new bot on a system it cannot open as asked', () => {
  const newGateway = (args: string[], env: Record<string, string> = {}) =>
    runFerry(['new', 'bot', 'gjj-refused', '--url', `${ferry().fixtures.urls.housingFund}/login.do`, ...args, '--dir', bots()], { ...ferry().env, ...env });

  it('names --insecure-tls for a certificate no public authority signed, and writes nothing', async () => {
    const result = await newGateway([]);
    expect([result.code, result.stderr]).toEqual([2, expect.stringContaining('its certificate is not trusted (net::ERR_CERT_AUTHORITY_INVALID)')]);
    expect(existsSync(join(bots(), 'gjj-refused'))).toBe(false);
  });

  it('names --http-user for an HTTP-auth challenge, and says when the account is refused', async () => {
    const missing = await newGateway(['--insecure-tls']);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('asks for HTTP authentication (401): add --http-user <name>')]);
    const wrong = await newGateway(['--insecure-tls', '--http-user', gateway.username], { FERRY_HTTP_PASSWORD: 'not-it' });
    expect([wrong.code, wrong.stderr]).toEqual([2, expect.stringContaining('refused the HTTP-auth account given with --http-user (401)')]);
    expect(existsSync(join(bots(), 'gjj-refused'))).toBe(false);
  });
});

describe('ferry new recipe', () => {
  it('writes a recipe between the two bots that compiles and passes its own test', async () => {
    const result = await runFerry(['new', 'recipe', 'intake-to-medical', '--from', 'intake', '--to', 'medical-copy', '--dir', recipes(), '--bots', bots()], ferry().env);
    expect(result.code).toBe(0);
    const files = ['intake-to-medical.ts', 'intake-to-medical.test.ts'].map((file) => join(recipes(), file));
    expect(files.every((file) => existsSync(file))).toBe(true);
    expect(readFileSync(files[0], 'utf8')).toContain("from '../bots/intake/index.ts'");
    expect(typeErrorsOf(files)).toEqual([]);
    const test = await runVitest(files[1], {});
    expect(test.output).toMatch(/2 passed/);
    expect(test.code).toBe(0);
  }, 600_000);

  it('refuses ids that are not kebab-case, unknown bots and files that exist', async () => {
    const bad = await runFerry(['new', 'recipe', 'Intake_To', '--from', 'intake', '--to', 'medical-copy', '--dir', recipes(), '--bots', bots()], ferry().env);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('kebab-case')]);
    const unknown = await runFerry(['new', 'recipe', 'x-to-y', '--from', 'nobody', '--to', 'medical-copy', '--dir', recipes(), '--bots', bots()], ferry().env);
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringContaining('No bot "nobody"')]);
    const twice = await runFerry(['new', 'recipe', 'intake-to-medical', '--from', 'intake', '--to', 'medical-copy', '--dir', recipes(), '--bots', bots()], ferry().env);
    expect([twice.code, twice.stderr]).toEqual([2, expect.stringContaining('never overwrites')]);
  });
});
