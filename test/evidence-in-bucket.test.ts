/**
 * Evidence in an S3-compatible bucket (FERRY_EVIDENCE_URL), against a real S3-protocol server:
 * a failed run leaves sealed objects there and nothing in the data dir, ops download the real
 * screenshot, HTML and trace through the dashboard and staff are refused, a kept document
 * lands there under a name without personal data, old evidence is swept from the bucket,
 * a bucket that cannot be reached loses no run's outcome, and a bad URL stops `ferry`.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defectiveCases, outsiderCases } from '../fixtures/cases.ts';
import { startWorker } from '../runner/run/worker.ts';
import { DashboardClient } from './support/dashboard-client.ts';
import { PEOPLE, useDashboard } from './support/dashboard.ts';
import { runFerry } from './support/ferry-cli.ts';
import { useFerry } from './support/ferry.ts';
import { useS3Bucket } from './support/s3-bucket.ts';

const ENROLLMENT = 'flexible-worker-enrollment';
const HOUSING_FUND = 'housing-fund-account-opening';
const bucket = useS3Bucket();
const ferry = useFerry({
  fixtures: { applicants: 200, faults: { captcha: false } },
  env: () => ({ ...bucket().env, FERRY_EVIDENCE_RETENTION_DAYS: '2' }),
});
const dashboard = useDashboard(ferry);
const failing = () => defectiveCases(ferry().fixtures.applicants)[0];
let runId: string;
let folder: string;
let bot: string;
let ops: DashboardClient;

/** The run's evidence folder, as its history holds it. */
const folderOf = async (id: string) => (await ferry().runtime.history.get(id))?.run.evidence;
/** The bucket's objects under a folder (`s3://bucket/<key prefix>`). */
const objectsOf = async (evidence: string) => {
  const prefix = `${evidence.slice(`s3://${bucket().bucket}/`.length)}/`;
  return (await bucket().keys()).filter((key) => key.startsWith(prefix));
};
const logIn = async (name: keyof typeof PEOPLE) => {
  const client = new DashboardClient(dashboard().url);
  expect((await client.logIn(name, PEOPLE[name].password)).status).toBe(303);
  return client;
};
const download = async (client: DashboardClient, id: string, file: string) => {
  const response = await client.send('GET', `/ops/runs/${encodeURIComponent(id)}/evidence/${file}`);
  return { status: response.status, body: Buffer.from(await response.arrayBuffer()) };
};

beforeAll(async () => {
  runId = await ferry().trigger(ENROLLMENT, { caseNo: failing().caseNo });
  expect((await ferry().outcome(runId)).state).toBe('REJECTED');
  folder = (await folderOf(runId))!;
  // The system the run failed in: the one whose screenshot it left.
  bot = (await objectsOf(folder)).map((key) => key.split('/').at(-1)!).find((name) => name.endsWith('.png'))!.replace(/\.png$/, '');
  ops = await logIn('opsy');
});

describe('a run that fails with FERRY_EVIDENCE_URL set', () => {
  it('leaves its evidence in the bucket, sealed: no HTML and no ID number in any object', async () => {
    expect(folder).toMatch(new RegExp(`^s3://${bucket().bucket}/${bucket().prefix}/${runId}-\\d{13}$`));
    const objects = await objectsOf(folder);
    expect(objects.map((key) => key.split('/').at(-1))).toEqual(expect.arrayContaining(['manifest', `${bot}.png`, `${bot}.html`, `${bot}.trace.zip`]));
    for (const key of objects) {
      const bytes = await bucket().bytes(key);
      expect(bytes.includes(Buffer.from('<html')), key).toBe(false);
      for (const encoding of ['utf8', 'utf16le'] as const) expect(bytes.includes(Buffer.from(failing().idNumber, encoding)), key).toBe(false);
      expect(bytes.subarray(1, 4).toString('latin1'), key).not.toBe('PNG');
      expect(bytes.subarray(0, 2).toString('latin1'), key).not.toBe('PK');
    }
  });

  it('leaves no evidence in the worker\'s data dir', () => {
    const dataDir = ferry().env.FERRY_DATA_DIR;
    const files = readdirSync(dataDir, { recursive: true, encoding: 'utf8' }).filter((name) => statSync(join(dataDir, name)).isFile());
    expect(readdirSync(dataDir)).not.toContain('evidence');
    expect(files.filter((name) => /\.(png|html|zip)$/.test(name) || name.includes('manifest'))).toEqual([]);
  });

  it('is the real screenshot, HTML and trace when ops download it through the dashboard', async () => {
    const image = await download(ops, runId, `${bot}.png`);
    expect(image.status).toBe(200);
    expect(image.body.subarray(1, 4).toString()).toBe('PNG');
    const html = await download(ops, runId, `${bot}.html`);
    expect(html.body.toString('utf8')).toMatch(/<html/i);
    const trace = await download(ops, runId, `${bot}.trace.zip`);
    expect(trace.status).toBe(200);
    expect(trace.body.subarray(0, 2).toString()).toBe('PK');
    expect(await (await ops.send('GET', `/ops/runs/${encodeURIComponent(runId)}`)).text()).toContain(`${bot}.trace.zip`);
  });

  it('is refused to a staff user', async () => {
    const clerk = await logIn('clerk');
    const refused = await download(clerk, runId, `${bot}.png`);
    expect(refused.status).toBe(403);
    expect(refused.body.subarray(1, 4).toString()).not.toBe('PNG');
  });
});

describe('a document a recipe keeps', () => {
  it('lands in the bucket, sealed under a keyed hash of its name, and ops download the real PDF', async () => {
    const [applicant] = outsiderCases(ferry().fixtures.applicants);
    const id = await ferry().trigger(HOUSING_FUND, { caseNo: applicant.caseNo });
    const outcome = await ferry().outcome(id);
    expect(outcome.state).toBe('DONE');
    const objects = await objectsOf(outcome.evidence!);
    expect(objects.map((key) => key.split('/').at(-1))).toEqual(expect.arrayContaining(['manifest', expect.stringMatching(/^kept-[0-9a-f]{24}$/)]));
    expect(objects.join('\n')).not.toContain(outcome.receipt!);
    const pdf = await download(ops, id, `kept-huizhi-${outcome.receipt}.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});

describe('evidence older than FERRY_EVIDENCE_RETENTION_DAYS', () => {
  it('is deleted from the bucket, and from the disk the worker used before, when a worker starts; younger evidence and objects that are not Ferry\'s are kept', async () => {
    const { client, bucket: name, prefix } = bucket();
    const plant = async (key: string, ageDays: number) => {
      await client.send(new PutObjectCommand({ Bucket: name, Key: `${prefix}/${key}`, Body: Buffer.from('sealed elsewhere') }));
      const when = new Date(Date.now() - ageDays * 86_400_000);
      utimesSync(bucket().fileOf(`${prefix}/${key}`), when, when);
    };
    const old = `old-run-1-${Date.now() - 3 * 86_400_000}`;
    const recent = `recent-run-1-${Date.now() - 86_400_000}`;
    for (const object of ['manifest', 'medical-insurance.png']) await plant(`${old}/${object}`, 3);
    for (const object of ['manifest', 'medical-insurance.png']) await plant(`${recent}/${object}`, 1);
    await plant('notes-of-the-bucket-owner.txt', 30);
    const before = await bucket().keys();
    const former = join(ferry().env.FERRY_DATA_DIR, 'evidence', 'old-run-2-1700000000000');
    mkdirSync(former, { recursive: true, mode: 0o700 });
    writeFileSync(join(former, 'manifest.json'), '{}', { mode: 0o600 });
    const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000);
    utimesSync(former, threeDaysAgo, threeDaysAgo);

    const worker = await startWorker(ferry().runtime, { ocr: ferry().ocr });
    await worker.close();
    expect((await bucket().keys()).sort()).toEqual(before.filter((key) => !key.includes(old)).sort());
    expect(await objectsOf(folder)).not.toEqual([]);
    expect(existsSync(former)).toBe(false);
  });
});

describe('a bad FERRY_EVIDENCE_URL', () => {
  it('stops ferry at once with exit code 2, naming the form it wants', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ferry-config-'));
    try {
      const result = await runFerry(['worker'], { ...bucket().env, FERRY_DATA_DIR: dataDir, REDIS_URL: 'redis://127.0.0.1:1', FERRY_EVIDENCE_URL: 'https://minio.example/ferry' }, 150_000);
      expect([result.code, result.stderr]).toEqual([2, expect.stringContaining('FERRY_EVIDENCE_URL: must be s3://bucket[/prefix], not "https://minio.example/ferry"')]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('when the bucket cannot be reached', () => {
  it('a worker still starts, and a failed run keeps its real outcome, with a masked warning in the log', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    const { runtime } = ferry();
    const unreachable = { ...runtime.config.evidenceBucket!, endpoint: `http://127.0.0.1:${port}` };
    // The harness's worker makes way for one whose bucket is gone; the harness closes it at the end.
    await ferry().workers[0].close();
    ferry().workers[0] = await startWorker({ ...runtime, config: { ...runtime.config, evidenceBucket: unreachable } }, { ocr: ferry().ocr });

    const applicant = defectiveCases(ferry().fixtures.applicants)[1];
    const id = await ferry().trigger(ENROLLMENT, { caseNo: applicant.caseNo });
    const outcome = await ferry().outcome(id);
    expect(outcome.state).toBe('REJECTED');
    expect(outcome.evidence).toBeUndefined();
    const log = readFileSync(join(ferry().env.FERRY_DATA_DIR, 'logs', 'ferry.log'), 'utf8');
    expect(log).toContain('evidence sweep failed');
    expect(log).toMatch(new RegExp(`"run":"${id}".*evidence not stored; the run keeps its outcome`));
    expect(log).not.toContain(applicant.idNumber);
  });
});
