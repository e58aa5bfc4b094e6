/**
 * The selector canary, as ops meet it: `ferry canary` passes on the screens the bots know, and
 * when a vendor's upgrade renames a field under the medical-insurance bot (a fixture knob), it
 * exits 1 naming the screen and the locator, and suggests the renamed field by the caption it
 * kept, with a crop of the screen. Nothing is written to the system. The scheduler's hourly
 * pass runs on a worker.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CanaryStore } from '../runner/canary/canary-store.ts';
import { startScheduler } from '../runner/scheduler/scheduler.ts';
import { runFerry } from './support/ferry-cli.ts';
import { useFerry } from './support/ferry.ts';
import { fixtureRecords, setFaults } from './support/fixture-http.ts';
import { waitFor } from './support/wait.ts';

const ferry = useFerry({ workers: 1 });
const store = () => new CanaryStore(ferry().runtime.redis, ferry().runtime.keys);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

afterAll(() => setFaults(ferry().fixtures.urls.medicalInsurance, { renamedFields: {} }));

describe('ferry canary', () => {
  it('passes on the screens as the bot knows them, and records what each locator found', async () => {
    const result = await runFerry(['canary', '--bot', 'medical-insurance', '--json'], ferry().env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const { reports } = JSON.parse(result.stdout.trim().split('\n').at(-1)!);
    expect(reports).toMatchObject([{ bot: 'medical-insurance', screens: 1, locators: 12, problems: [] }]);
    const baseline = await store().baseline('medical-insurance');
    expect(baseline.get('灵活就业人员参保登记\nsfzh')).toMatchObject({ kind: 'text', name: 'sfzh', caption: '身份证号', frame: ['frame[name="main"]'] });
  });

  it('exits 1 when a field is renamed, naming the screen and the locator and suggesting the field by its caption', async () => {
    await setFaults(ferry().fixtures.urls.medicalInsurance, { renamedFields: { sfzh: 'zjhm' } });
    const result = await runFerry(['canary', '--bot', 'medical-insurance'], ferry().env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('medical-insurance: 1 problem(s)');
    expect(result.stdout).toContain('灵活就业人员参保登记 › sfzh: found 0');
    expect(result.stdout).toContain("likely now: fieldByCaption(page.frameLocator('frame[name=\"main\"]').locator(':root'), '身份证号')  (same caption 「身份证号」, kind text)");

    const report = (await store().report('medical-insurance'))!;
    expect(report.problems).toHaveLength(1);
    const [best] = report.problems[0].suggestions;
    expect(Buffer.from(best.crop!, 'base64').subarray(0, 4)).toEqual(PNG);
    // The baseline keeps the last good match, so the next check scores against it again.
    expect((await store().baseline('medical-insurance')).get('灵活就业人员参保登记\nsfzh')).toMatchObject({ name: 'sfzh' });
    // Read-only: the canary entered nothing.
    expect((await fixtureRecords<{ rows: unknown[] }>(ferry().fixtures.urls.medicalInsurance)).rows).toEqual([]);
  });

  it('runs every hour from the scheduler on a worker, which stores a fresh report', async () => {
    await setFaults(ferry().fixtures.urls.medicalInsurance, { renamedFields: {} });
    const before = (await store().report('medical-insurance'))!.checkedAt;
    const scheduler = await startScheduler(ferry().runtime);
    try {
      const slot = new Date();
      expect(await scheduler.fireCanaries(slot)).toBe(await scheduler.fireCanaries(slot));
      await waitFor('the hourly canary pass', async () => ((await store().report('medical-insurance'))?.checkedAt ?? '') > before, 120_000);
    } finally {
      await scheduler.close();
    }
    expect((await store().report('medical-insurance'))!.problems).toEqual([]);
  });

  it('refuses a bot without canaries, naming how to declare them', async () => {
    const result = await runFerry(['canary', '--bot', 'acceptance'], ferry().env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Bot "acceptance" declares no canaries (defineBot({ canaries })).');
  });
});
