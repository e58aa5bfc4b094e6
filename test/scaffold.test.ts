/**
 * `ferry new bot` and `ferry new recipe`, as an integrator starts a system: the bot's log-in is
 * read off the live log-in page (the acceptance platform's, and the medical-insurance one with
 * its captcha), the files compile, and the generated tests pass against the fixture system.
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

const SYSTEMS = {
  acceptance: { id: 'intake', path: '/login', account: FIXTURE_ACCOUNTS.acceptance, url: () => ferry().fixtures.urls.acceptance },
  medicalInsurance: { id: 'medical-copy', path: '/login.jsp', account: FIXTURE_ACCOUNTS.medicalInsurance, url: () => ferry().fixtures.urls.medicalInsurance },
};

describe.each(Object.entries(SYSTEMS))('ferry new bot on the %s log-in page', (_, system) => {
  it('writes a bot that compiles and whose own test logs in to the system', async () => {
    const result = await runFerry(['new', 'bot', system.id, '--url', `${system.url()}${system.path}`, '--dir', bots()], ferry().env);
    expect(result.stderr).toContain(`wrote ${join(bots(), system.id, 'index.ts')}`);
    expect(result.code).toBe(0);
    const folder = join(bots(), system.id);
    expect(readdirSync(folder).sort()).toEqual(['home-page.ts', 'index.ts', 'login.ts', `${system.id}.test.ts`, 'schemas.ts'].sort());
    expect(typeErrorsOf(readdirSync(folder).map((file) => join(folder, file)))).toEqual([]);

    const env = system.id.toUpperCase().replaceAll('-', '_');
    const test = await runVitest(join(folder, `${system.id}.test.ts`), {
      [`FERRY_URL_${env}`]: system.url(), [`FERRY_TEST_${env}_USER`]: system.account.username, [`FERRY_TEST_${env}_PASSWORD`]: system.account.password,
    });
    expect(test.output).toMatch(/1 passed/);
    expect(test.code).toBe(0);
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
  });

  it('refuses ids that are not kebab-case, unknown bots and files that exist', async () => {
    const bad = await runFerry(['new', 'recipe', 'Intake_To', '--from', 'intake', '--to', 'medical-copy', '--dir', recipes(), '--bots', bots()], ferry().env);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('kebab-case')]);
    const unknown = await runFerry(['new', 'recipe', 'x-to-y', '--from', 'nobody', '--to', 'medical-copy', '--dir', recipes(), '--bots', bots()], ferry().env);
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringContaining('No bot "nobody"')]);
    const twice = await runFerry(['new', 'recipe', 'intake-to-medical', '--from', 'intake', '--to', 'medical-copy', '--dir', recipes(), '--bots', bots()], ferry().env);
    expect([twice.code, twice.stderr]).toEqual([2, expect.stringContaining('never overwrites')]);
  });
});
