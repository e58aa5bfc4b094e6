/**
 * `ferry chaos --recipe <id>`: the exactly-once proof on one recipe of the integrator's
 * choosing, run as they would run it, from the command line. Here the residence-permit
 * archive (an OCR-read source, a target that fails after commit), in a small configuration:
 * its inputs listed by its own schedule, two workers killed (one between save and ledger),
 * Redis restarted, sessions logged out; then each record looked up through the recipe's find.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inputsFromFile } from '../bench/chaos/chaos-inputs.ts';
import type { RecipeChaosResult } from '../bench/chaos/recipe-chaos.ts';
import permitArchive from '../recipes/residence-permit-archive.ts';
import type { Recipe } from '../runner/define/recipe.ts';
import { runFerry } from './support/ferry-cli.ts';

const scratch = mkdtempSync(join(tmpdir(), 'ferry-recipe-chaos-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Each run gets a data dir of its own (no Redis is started for the refusals). */
const env = () => ({ FERRY_DATA_DIR: mkdtempSync(join(scratch, 'data-')), FERRY_SECRET_KEY: 'cd'.repeat(32), FERRY_LOG_LEVEL: 'warn' });
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

describe('ferry chaos --recipe residence-permit-archive', () => {
  it('reports zeros: nothing lost, doubled, stuck or disagreeing, after the kills and the Redis restart it reports', async () => {
    const args = ['chaos', '--recipe', 'residence-permit-archive', '--since', daysAgo(1), '--records', '8', '--workers', '2', '--kills', '2', '--session-expiry', '20', '--json'];
    // Listing OCRs every permit row of the last two days (about 20), so the schedule's path stays short.
    const { code, stdout, stderr } = await runFerry(args, env(), 1_800_000);
    const last = stdout.trim().split('\n').at(-1) ?? '';
    // A run that ends in no figures shows its exit code and what it printed on stderr.
    expect(last.startsWith('{') ? null : { code, stderr: stderr.slice(-3000) }).toBeNull();
    const result = JSON.parse(last) as RecipeChaosResult;
    expect([code, result], stderr.slice(-3000)).toEqual([0, expect.objectContaining({
      recipe: 'residence-permit-archive', systems: 'fixtures', records: 8,
      lost: 0, duplicated: 0, stuckActive: 0, ledgerMismatches: 0, failed: 0,
      randomKills: 1, inWindowKills: 1, redisRestarts: 1,
    })]);
    expect(result.entered + result.rejected + result.needsReview).toBe(8);
    expect(result.entered).toBeGreaterThan(0);
    // Every entry was written at least once, by a write that returned, or found by the recipe's find after a kill.
    expect(result.writes).toBeGreaterThan(0);
    // Minutes on a quiet machine; a quarter of an hour beside another suite.
  }, 1_800_000);
});

const inputsFile = (name: string, text: string) => {
  const file = join(scratch, name);
  writeFileSync(file, text);
  return file;
};

describe('an inputs file', () => {
  const permits = [{ permitNo: 'JZ202600000001', issuedOn: '2026-11-30' }, { permitNo: 'JZ202600000002', issuedOn: '2026-11-29' }];

  it.each([
    ['a JSON array', 'permits.json', JSON.stringify(permits, null, 2)],
    ['one JSON object a line, blank lines skipped', 'permits.ndjson', `${JSON.stringify(permits[0])}\n\n${JSON.stringify(permits[1])}\n`],
  ])('may be %s', (_, name, text) => {
    expect(inputsFromFile(permitArchive as unknown as Recipe, inputsFile(name, text))).toEqual(permits);
  });
});

describe('ferry chaos --recipe refuses what it cannot run, before starting anything', () => {
  it.each([
    ['a line that is no JSON', 'lines.ndjson', '{"permitNo":"JZ202600000001","issuedOn":"2026-11-30"}\n{oops\n', 'line 2: The input is not valid JSON'],
    ['an input that does not fit the recipe', 'array.json', '[{"permitNo":"JZ202600000001","issuedOn":"2026-11-30"},{"permitNo":"JZ1"}]', 'input #2: The input does not fit recipe "residence-permit-archive"'],
    ['a file that is not there', 'missing.json', undefined, 'cannot be read (ENOENT)'],
    ['an empty file', 'empty.ndjson', '\n\n', 'holds no inputs'],
  ])('%s, naming the file and the place', async (_, name, text, problem) => {
    const file = text === undefined ? join(scratch, name) : inputsFile(name, text);
    const { code, stderr } = await runFerry(['chaos', '--recipe', 'residence-permit-archive', '--inputs', file], env());
    expect([code, stderr]).toEqual([2, expect.stringContaining(`--inputs ${file}: ${problem}`)]);
  });

  it('an unknown recipe, listing the known ones', async () => {
    const { code, stderr } = await runFerry(['chaos', '--recipe', 'no-such-recipe'], env());
    expect([code, stderr]).toEqual([2, expect.stringContaining('Unknown recipe "no-such-recipe". Known recipes: flexible-worker-enrollment')]);
  });

  it('--inputs without --recipe', async () => {
    const { code, stderr } = await runFerry(['chaos', '--inputs', 'x.json'], env());
    expect([code, stderr]).toEqual([2, expect.stringContaining('--inputs and --since go with --recipe <id>')]);
  });
});
