/**
 * Evidence at rest: after a failed run, no evidence file on disk holds the applicant's ID
 * number (the bytes are scanned), yet an ops user downloads the real screenshot, HTML and
 * trace; a symbolic link planted in the evidence dir is never served.
 */
import { readdirSync, readFileSync, renameSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type RunningDashboard } from '../dashboard/server.ts';
import { UserStore } from '../runner/access/users.ts';
import { defectiveCases } from '../fixtures/cases.ts';
import { DashboardClient as Client } from './support/dashboard-client.ts';
import { useFerry } from './support/ferry.ts';

const RECIPE = 'flexible-worker-enrollment';
const PASSWORD = 'evidence-test-password-1';
const ferry = useFerry({ fixtures: { applicants: 120, faults: { captcha: false } } });
const applicant = () => defectiveCases(ferry().fixtures.applicants)[0];
let dashboard: RunningDashboard;
let ops: Client;
let runId: string;
let folder: string;

beforeAll(async () => {
  const { runtime } = ferry();
  runId = await ferry().trigger(RECIPE, { caseNo: applicant().caseNo });
  expect((await ferry().outcome(runId)).state).toBe('REJECTED');
  folder = (await runtime.history.get(runId))!.run.evidence!;
  await new UserStore(runtime.redis, runtime.keys).add('opsy', 'ops', PASSWORD, 'test');
  dashboard = await startDashboard(runtime, { port: 0 });
  ops = new Client(dashboard.url);
  expect((await ops.logIn('opsy', PASSWORD)).status).toBe(303);
});

afterAll(async () => {
  await dashboard?.close();
});

const download = async (file: string, run = runId) => {
  const response = await ops.send('GET', `/ops/runs/${run}/evidence/${file}`);
  return { status: response.status, body: Buffer.from(await response.arrayBuffer()) };
};

describe('evidence of a failed run', () => {
  it('holds no ID number in any file on disk', () => {
    const evidenceDir = join(ferry().env.FERRY_DATA_DIR, 'evidence');
    const files = readdirSync(evidenceDir, { recursive: true, encoding: 'utf8' }).map((name) => join(evidenceDir, name)).filter((path) => statSync(path).isFile());
    expect(files.some((path) => path.endsWith('.html'))).toBe(true);
    expect(files.some((path) => path.endsWith('.trace.zip'))).toBe(true);
    const { idNumber } = applicant();
    for (const path of files) {
      const bytes = readFileSync(path);
      for (const encoding of ['utf8', 'utf16le'] as const) expect(bytes.includes(Buffer.from(idNumber, encoding)), path).toBe(false);
    }
    const png = readdirSync(folder).find((name) => name.endsWith('.png'))!;
    expect(readFileSync(join(folder, png)).subarray(1, 4).toString()).not.toBe('PNG');
  });

  it('is the real screenshot, HTML and trace when ops download it', async () => {
    const files = readdirSync(folder).filter((name) => name !== 'manifest.json');
    const png = files.find((name) => name.endsWith('.png'))!;
    const bot = png.replace(/\.png$/, '');
    const image = await download(png);
    expect(image.status).toBe(200);
    expect(image.body.subarray(1, 4).toString()).toBe('PNG');
    const html = await download(`${bot}.html`);
    expect(html.status).toBe(200);
    expect(html.body.toString('utf8')).toMatch(/<html/i);
    const trace = await download(`${bot}.trace.zip`);
    expect(trace.status).toBe(200);
    expect(trace.body.subarray(0, 2).toString()).toBe('PK');
  });

  it('is not served through a symbolic link planted for a file or for the folder', async () => {
    const png = readdirSync(folder).find((name) => name.endsWith('.png'))!;
    const html = png.replace(/\.png$/, '.html');
    renameSync(join(folder, html), join(folder, `${html}.moved`));
    symlinkSync(join(folder, png), join(folder, html));
    expect((await download(html)).status).toBe(404);

    const { runtime } = ferry();
    const planted = join(ferry().env.FERRY_DATA_DIR, 'evidence', 'planted-folder');
    symlinkSync(folder, planted);
    await runtime.redis.hset(runtime.keys.run(runId), 'evidence', planted);
    expect((await download(png)).status).toBe(404);
    await runtime.redis.hset(runtime.keys.run(runId), 'evidence', folder);
    expect((await download(png)).status).toBe(200);
  });
});
