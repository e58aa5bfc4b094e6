/**
 * Recipes from an integrator's own folder (`FERRY_PROJECT_DIRS`), and recipe files that do
 * not load: the good recipes load and work, the broken ones are reported by name and error,
 * and no command hangs or leaves a redis-server behind.
 */
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnFerry } from '../cli/ferry-process.ts';
import { parseConfig } from '../runner/config.ts';
import { RECIPES_DIR } from '../runner/define/registry.ts';
import { answersPing } from '../runner/redis/connect.ts';
import { embeddedRedisUrl } from '../runner/redis/embedded-redis.ts';
import { runFerry } from './support/ferry-cli.ts';
import { commandOf, isRunning } from './support/processes.ts';
import { goodRecipe, makeProjectDir, MIXED_PROJECT } from './support/project-dir.ts';
import { useRedis } from './support/redis.ts';
import { waitFor } from './support/wait.ts';

const redis = useRedis();
const project = makeProjectDir(MIXED_PROJECT);
const temporary: string[] = [project];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** `dir`, removed after the file. */
function tracked(dir: string): string {
  temporary.push(dir);
  return dir;
}

/** A fresh data dir, removed after the file. */
const dataDir = () => tracked(mkdtempSync(join(tmpdir(), 'ferry-data-')));

/** The environment of a `ferry` with this project dir; no REDIS_URL means the embedded Redis. */
const env = (extra: Record<string, string> = {}, withRedis = true) => ({
  ...(withRedis ? { REDIS_URL: redis().url } : {}),
  FERRY_DATA_DIR: dataDir(), FERRY_SECRET_KEY: 'ab'.repeat(32), FERRY_LOG_LEVEL: 'warn',
  FERRY_NAMESPACE: `t-${Math.random().toString(16).slice(2, 10)}`, FERRY_PROJECT_DIRS: project, ...extra,
});

/** The command lines of running processes that mention `data` (its embedded redis-server does). */
function processesOf(data: string): string[] {
  const pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number).filter((pid) => pid !== process.pid && isRunning(pid));
  return pids.map(commandOf).filter((command) => command.includes(data));
}

/** Whether the embedded Redis of `data` answers. */
async function embeddedRedisAnswers(data: string): Promise<boolean> {
  const url = embeddedRedisUrl(data);
  return url !== undefined && await answersPing(url);
}

/** This repository's own recipes, by file name, in the order Ferry loads them. */
const REPOSITORY_RECIPES = readdirSync(RECIPES_DIR).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts')).sort().map((file) => file.slice(0, -3));

describe('a project dir with a good recipe and two broken ones', () => {
  it('ferry status --json lists the good recipe with this repository\'s, and each broken file with its error', async () => {
    const result = await runFerry(['status', '--json'], env());
    expect(result.code).toBe(0);
    const status = JSON.parse(result.stdout.trim().split('\n').at(-1)!);
    expect(status.recipes.map((recipe: { id: string }) => recipe.id)).toEqual([...REPOSITORY_RECIPES, 'tiny-copy']);
    expect(status.brokenRecipes).toEqual([
      { id: 'bad-id', file: join(project, 'recipes', 'bad-id.ts'), error: 'must default-export a recipe with id "bad-id" (its file name), not "other-id"' },
      { id: 'broken-import', file: join(project, 'recipes', 'broken-import.ts'), error: expect.stringContaining("Cannot find package 'some-package-not-installed'") },
    ]);
  });

  it('ferry status says which recipes did not load, in a line each', async () => {
    const result = await runFerry(['status'], env());
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`BROKEN recipe "broken-import" did not load (${join(project, 'recipes', 'broken-import.ts')}): `);
    expect(result.stdout).toContain('BROKEN recipe "bad-id" did not load');
    expect(result.stdout).toContain('tiny-copy (Tiny copy)');
  });

  it('ferry doctor fails naming each broken file and its error', async () => {
    const result = await runFerry(['doctor'], env());
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`ok   recipes: ${REPOSITORY_RECIPES.length + 1} loaded: ${[...REPOSITORY_RECIPES, 'tiny-copy'].join(', ')}`);
    expect(result.stdout).toContain(`FAIL recipe ${join(project, 'recipes', 'broken-import.ts')}: did not load: Cannot find package 'some-package-not-installed'`);
    expect(result.stdout).toContain(`FAIL recipe ${join(project, 'recipes', 'bad-id.ts')}: did not load: must default-export a recipe with id "bad-id"`);
  });

  it('ferry run of a broken recipe exits 2 saying why it did not load, and stops the embedded Redis it started', async () => {
    const setting = env({}, false);
    const result = await runFerry(['run', 'broken-import', '--input', '{}'], setting);
    expect([result.code, result.stderr]).toEqual([2, expect.stringContaining('ferry: recipe "broken-import" did not load: Cannot find package \'some-package-not-installed\'')]);
    expect(embeddedRedisUrl(setting.FERRY_DATA_DIR)).toBeDefined();
    expect(await embeddedRedisAnswers(setting.FERRY_DATA_DIR)).toBe(false);
    expect(processesOf(setting.FERRY_DATA_DIR)).toEqual([]);
  });

  it('ferry run of the good recipe triggers it as usual', async () => {
    const result = await runFerry(['run', 'tiny-copy', '--input', '{"n":"7"}'], env());
    expect([result.code, result.stdout.trim()]).toEqual([0, JSON.stringify({ run: 'tiny-copy__7', recipe: 'tiny-copy' })]);
  });

  it('a worker warns about each broken recipe at start, keeps running, and stops on SIGTERM', async () => {
    const worker = spawnFerry(['worker'], env());
    try {
      await waitFor('the worker to start', () => worker.err().includes('started;') || worker.exitCode !== null);
      // With its stderr, so a worker that ended early says why.
      expect([worker.exitCode, worker.err()]).toEqual([null, expect.stringContaining('started;')]);
      expect(worker.err()).toContain('recipe "broken-import" did not load');
      expect(worker.err()).toContain('recipe "bad-id" did not load');
    } finally {
      worker.kill('SIGTERM');
      if (worker.exitCode === null) await once(worker, 'exit');
    }
    expect([worker.exitCode, worker.err()]).toEqual([0, expect.any(String)]);
  });
});

describe('project dirs that cannot be used', () => {
  it('refuses two recipes with the same id at start, naming both files, before starting Redis', async () => {
    const twin = tracked(makeProjectDir({ 'recipes/tiny-copy.ts': goodRecipe('tiny-copy') }));
    const setting = env({ FERRY_PROJECT_DIRS: [project, twin].join(delimiter) }, false);
    const result = await runFerry(['status'], setting);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`recipe id "tiny-copy" is defined twice: ${join(project, 'recipes', 'tiny-copy.ts')} and ${join(twin, 'recipes', 'tiny-copy.ts')}`);
    expect(embeddedRedisUrl(setting.FERRY_DATA_DIR)).toBeUndefined();
    expect(processesOf(setting.FERRY_DATA_DIR)).toEqual([]);
  });

  it.each([
    ['does not exist', () => join(tmpdir(), 'ferry-no-such-project'), 'does not exist'],
    ['has no recipes/ folder', () => dataDir(), 'has no recipes/ folder'],
    ['is no ES module package', () => tracked(makeProjectDir({ 'package.json': '{}' })), 'needs a package.json with "type": "module"'],
  ])('refuses a project dir that %s, naming the variable and the path', async (_, dir, problem) => {
    const path = dir();
    const result = await runFerry(['status'], env({ FERRY_PROJECT_DIRS: path }));
    expect([result.code, result.stderr]).toEqual([2, expect.stringContaining(`FERRY_PROJECT_DIRS: ${path} ${problem}`)]);
  });

  it('takes folders relative to the working directory, separated by the path delimiter, each once', () => {
    const config = parseConfig({ FERRY_PROJECT_DIRS: `${relative(process.cwd(), project)}${delimiter}${project}` });
    expect(config.projectDirs).toEqual([project]);
    expect(parseConfig({}).projectDirs).toEqual([]);
  });
});
