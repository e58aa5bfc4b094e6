/**
 * `ferry chaos --recipe` on systems it did not start: the ones `FERRY_URL_*` names, logged in
 * with the credentials stored in the caller's own Redis (copied into the proof's private one).
 * No errors are injected into such systems; the workers are killed, Redis restarts, and the
 * workers drop their own sessions. Afterwards the target holds no record twice, and each
 * entered one once.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RecipeChaosResult } from '../bench/chaos/recipe-chaos.ts';
import type { ArchiveEntry } from '../bots/acceptance/schemas.ts';
import { fixtureRecords } from './support/fixture-http.ts';
import { runFerry } from './support/ferry-cli.ts';
import { useFerry } from './support/ferry.ts';

const ferry = useFerry({ workers: 0 });
const scratch = mkdtempSync(join(tmpdir(), 'ferry-recipe-chaos-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('ferry chaos --recipe residence-permit-archive on the systems FERRY_URL_* names', () => {
  it('reports zeros, and the archive holds each permit once', async () => {
    const permits = ferry().fixtures.applicants.filter((a) => a.permit && !a.defect).slice(0, 6).map((a) => a.permit!);
    const inputs = join(scratch, 'permits.ndjson');
    writeFileSync(inputs, permits.map(({ permitNo, issuedOn }) => JSON.stringify({ permitNo, issuedOn })).join('\n'));
    const args = ['chaos', '--recipe', 'residence-permit-archive', '--inputs', inputs, '--workers', '2', '--kills', '2', '--session-expiry', '30', '--json'];
    const { code, stdout, stderr } = await runFerry(args, ferry().env, 900_000);
    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as RecipeChaosResult;
    expect([code, result], stderr.slice(-3000)).toEqual([0, expect.objectContaining({
      recipe: 'residence-permit-archive', systems: 'configured', records: 6, rejected: 0, failed: 0,
      lost: 0, duplicated: 0, stuckActive: 0, ledgerMismatches: 0, randomKills: 1, inWindowKills: 1, redisRestarts: 1,
    })]);
    // A write the faults left unconfirmed goes to a person (NEEDS_REVIEW), never blindly again.
    expect(result.entered + result.needsReview).toBe(6);
    expect(result.entered).toBeGreaterThan(0);
    const { archive } = await fixtureRecords<{ archive: ArchiveEntry[] }>(ferry().fixtures.urls.acceptance);
    const entries = permits.map(({ permitNo }) => archive.filter((entry) => entry.certNo === permitNo).length);
    expect(entries.every((count) => count <= 1)).toBe(true);
    expect(entries.filter((count) => count === 1).length).toBeGreaterThanOrEqual(result.entered);
  }, 900_000);
});
