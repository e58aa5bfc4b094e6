/**
 * A 街道's spreadsheet of 200 applicants, 10 of them broken in each way a spreadsheet breaks
 * a record, handed to the list recipe: the 10 are refused before anything is queued, the 190
 * are entered into 医保 by a real worker (one enrolled at the window already is found, not
 * entered again), the result workbook tells each row's fate, and the same file handed in again
 * enters nothing.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Applicant } from '../fixtures/data/applicants.ts';
import { targetRowsById } from '../fixtures/inspect.ts';
import { LIST_HEADERS, listRow, xlsxOf, type Cell } from '../fixtures/sample-workbooks.ts';
import { findUnmaskedPersonalData } from '../runner/access/mask.ts';
import { batchDeskOf, type BatchActor } from '../runner/batch/batch-desk.ts';
import { sweepDropFolder } from '../runner/batch/drop-folder.ts';
import { enterableCases } from '../fixtures/cases.ts';
import { runJobId } from '../runner/run/key.ts';
import { triggeredBy } from '../runner/run/types.ts';
import { rowsOf } from './support/batch-files.ts';
import { useFerry } from './support/ferry.ts';
import { runFerry } from './support/ferry-cli.ts';
import { dumpRedisText } from './support/redis-dump.ts';

const RECIPE = 'flexible-worker-list-enrollment';
const ferry = useFerry({ fixtures: { applicants: 400, faults: { captcha: false } }, concurrency: 3 });
const clerk: BatchActor = { name: 'clerk1', identity: triggeredBy.dashboard('clerk1'), seesAll: false };
const INJECTION = '=HYPERLINK("http://evil.example","点我")';

/** The row of `a` with one cell changed. */
function broken(a: Applicant, header: string, value: Cell): Cell[] {
  const row = listRow(a);
  row[LIST_HEADERS.indexOf(header)] = value;
  return row;
}

/** 190 good rows and, spread among them, one bad row of each kind; the sheet row each lands on. */
function applicantList(applicants: Applicant[]) {
  const clean = applicants.filter((a) => !a.defect && (!a.outsideCity || a.permit));
  const good = clean.slice(0, 190);
  const spare = clean.slice(190);
  const wrongCheckDigit = (id: string) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
  const bad: [string | undefined, Cell[]][] = [
    ['身份证号', broken(spare[0], '身份证号', Number(spare[0].idNumber.replace('X', '0')))],
    ['出生日期', broken(spare[1], '出生日期', 33000)],
    ['出生日期', broken(spare[2], '出生日期', '1990年13月45日')],
    ['手机号码', broken(spare[3], '手机号码', '１３９００００００００')],
    ['身份证号', broken(spare[4], '身份证号', '1.10101199003074E+17')],
    ['身份证号', broken(spare[5], '身份证号', wrongCheckDigit(spare[5].idNumber))],
    ['手机号码', broken(spare[6], '手机号码', '1234567')],
    ['姓名', broken(spare[7], '姓名', null)],
    ['姓名', broken(spare[8], '姓名', '<script>x</script>')],
    [undefined, listRow(good[5])],
  ];
  const rows: Cell[][] = good.map((a, i) => listRow(a, i === 3 ? INJECTION : ''));
  const badRows: { row: number; column?: string }[] = [];
  bad.forEach(([column, row], i) => {
    const at = 10 + i * 19;
    rows.splice(at, 0, row);
    badRows.push({ row: at + 2, ...(column ? { column } : {}) });
  });
  return { good, rows, badRows };
}

describe('a batch of 200 rows from a spreadsheet', () => {
  it('refuses the 10 broken rows up front, enters the 190 others once each, and says every row\'s fate in the result workbook', async () => {
    const { runtime, fixtures } = ferry();
    const desk = batchDeskOf(runtime);
    const { good, rows, badRows } = applicantList(fixtures.applicants);
    const file = await xlsxOf(LIST_HEADERS, rows);
    // One of them was enrolled from their case at the window this morning.
    const atTheWindow = enterableCases(fixtures.applicants).find((a) => good.includes(a))!;
    const windowRun = await ferry().outcome(await ferry().trigger('flexible-worker-enrollment', { caseNo: atTheWindow.caseNo }));
    expect(windowRun).toMatchObject({ state: 'DONE', created: true });

    const batch = await desk.upload({ recipe: RECIPE, fileName: '湖滨街道名单.xlsx', bytes: file, source: 'dashboard' }, clerk);
    expect(batch).toMatchObject({ rows: 200, state: 'checked' });
    expect(batch.good).toHaveLength(190);
    expect(batch.bad.map(({ row, column }) => ({ row, ...(column ? { column } : {}) }))).toEqual(badRows);
    expect(batch.bad.at(-1)?.reason).toContain('the same record as row');
    expect(findUnmaskedPersonalData(JSON.stringify(batch))).toEqual([]);
    // Nothing is queued until someone queues the good rows.
    expect(await runtime.queue.getJobCounts()).toMatchObject({ waiting: 0, prioritized: 0, active: 0 });

    await desk.queue(batch.id, clerk);
    const outcomes = await Promise.all(batch.good.map(({ keyId }) => ferry().outcome(runJobId(RECIPE, keyId))));
    expect(outcomes.filter((outcome) => outcome.state !== 'DONE')).toEqual([]);
    // The one enrolled at the window is found, not entered again. (Others may be found too: an
    // attempt after one whose save went through finds its row, as the README's exactly-once says.)
    expect(outcomes.filter((outcome) => outcome.receipt === windowRun.receipt)).toEqual([expect.objectContaining({ state: 'DONE', created: false })]);

    const target = await targetRowsById(fixtures.urls.medicalInsurance);
    expect([...target.values()].flat()).toHaveLength(190);
    const result = await rowsOf((await desk.result(batch.id, clerk)).bytes);
    expect(result[0]).toEqual([...LIST_HEADERS, '状态 state', '回执 receipt', '原因 reason', '时间 time']);
    const byId = new Map(result.slice(1).filter((row) => row[9] === '已录入 DONE').map((row) => [String(row[1]), row]));
    for (const a of good) {
      const row = byId.get(a.idNumber)!;
      expect(row.slice(9, 11)).toEqual(['已录入 DONE', target.get(a.idNumber)?.[0].serialNo]);
      // Personal data comes back as it was uploaded: the uploader already had it.
      expect(row.slice(0, 2)).toEqual([a.name, a.idNumber]);
    }
    const refused = result.slice(1).filter((row) => row[9] === '未入队 NOT_QUEUED');
    expect(refused).toHaveLength(10);
    for (const row of refused) expect(String(row[11])).not.toBe('');
    expect(result.slice(1).find((row) => String(row[8]).includes('HYPERLINK'))?.[8]).toBe(`'${INJECTION}`);

    // The same file again: every good row is found settled, nothing is queued, no row is added.
    const again = await desk.queue((await desk.upload({ recipe: RECIPE, fileName: '湖滨街道名单.xlsx', bytes: file, source: 'cli' }, clerk)).id, clerk);
    const { progress } = await desk.progress(again.id, clerk);
    expect(progress).toMatchObject({ settled: true, counts: { DONE: 190, NOT_QUEUED: 10 } });
    expect([...(await targetRowsById(fixtures.urls.medicalInsurance)).values()].flat()).toHaveLength(190);

    // The rows' personal data sat in Redis only sealed: the jobs, the run history, the batch.
    expect(findUnmaskedPersonalData(await dumpRedisText(runtime.redis))).toEqual([]);
    const audit = readFileSync(join(runtime.config.dataDir, 'audit.log'), 'utf8');
    expect(audit.match(/"action":"batch-(upload|queue|result)","target":"[^"]+","outcome":"ok"/g)).toHaveLength(5);
  }, 900_000);

  it('shows a batch to its uploader and ops, and to no other clerk', async () => {
    const desk = batchDeskOf(ferry().runtime);
    const batch = await desk.upload({ recipe: 'flexible-worker-enrollment', fileName: 'cases.csv', bytes: Buffer.from('受理编号\nSL2026030100009\n'), source: 'dashboard' }, clerk);
    const other: BatchActor = { name: 'clerk2', identity: triggeredBy.dashboard('clerk2'), seesAll: false };
    await expect(desk.open(batch.id, other)).rejects.toThrow('no such batch');
    await expect(desk.result(batch.id, other)).rejects.toThrow('no such batch');
    expect((await desk.list(other)).map((b) => b.id)).not.toContain(batch.id);
    expect((await desk.open(batch.id, { name: 'ops1', identity: triggeredBy.dashboard('ops1'), seesAll: true })).id).toBe(batch.id);
  });

  it('takes the drop folder\'s settled files once, across two schedulers looking at once, to done/ or rejected/ with a report', async () => {
    const { runtime, fixtures } = ferry();
    const dir = mkdtempSync(join(tmpdir(), 'ferry-drop-'));
    const folder = join(dir, 'flexible-worker-enrollment');
    mkdirSync(folder);
    const cases = enterableCases(fixtures.applicants).slice(0, 2);
    writeFileSync(join(folder, '受理清单.csv'), `受理编号\n${cases.map((a) => a.caseNo).join('\n')}\n`);
    writeFileSync(join(folder, 'broken.xlsx'), Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.alloc(64, 1)]));
    writeFileSync(join(folder, '~$受理清单.xlsx'), 'an office lock file');
    const settled = new Date(Date.now() - 60_000);
    for (const name of readdirSync(folder)) utimesSync(join(folder, name), settled, settled);
    writeFileSync(join(folder, 'still-copying.csv'), '受理编号\n');

    const options = { dir, desk: batchDeskOf(runtime), recipes: runtime.recipes, log: runtime.log };
    const looks = await Promise.all([sweepDropFolder(options), sweepDropFolder(options)]);
    expect(looks.flatMap((look) => look.done)).toEqual(['flexible-worker-enrollment/受理清单.csv']);
    expect(looks.flatMap((look) => look.rejected)).toEqual(['flexible-worker-enrollment/broken.xlsx']);
    expect(readdirSync(folder).sort()).toEqual(['done', 'processing', 'rejected', 'still-copying.csv', '~$受理清单.xlsx']);
    const [done, doneReport] = readdirSync(join(folder, 'done')).sort();
    expect(done).toMatch(/^\d{8}-\d{6}-受理清单\.csv$/);
    expect(readFileSync(join(folder, 'done', doneReport), 'utf8')).toContain('2 行 rows: 2 条已入队 queued, 0 条有问题 bad');
    const rejectedReport = readdirSync(join(folder, 'rejected')).find((name) => name.endsWith('.report.txt'))!;
    expect(readFileSync(join(folder, 'rejected', rejectedReport), 'utf8')).toContain('corrupt');
    const outcomes = await Promise.all(cases.map((a) => ferry().outcome(`flexible-worker-enrollment__${a.caseNo}`)));
    expect(outcomes.map((outcome) => outcome.state)).toEqual(['DONE', 'DONE']);
  }, 300_000);

  it('does the same from the command line: a dry run queues nothing, --wait ends with a summary line and the result workbook, a corrupt file exits 2', async () => {
    const { fixtures, env } = ferry();
    const dir = mkdtempSync(join(tmpdir(), 'ferry-batch-cli-'));
    const listed = new Set(applicantList(fixtures.applicants).good.map((a) => a.idNumber));
    const cases = enterableCases(fixtures.applicants).filter((a) => !listed.has(a.idNumber)).slice(0, 3);
    const file = join(dir, 'cases.xlsx');
    writeFileSync(file, await xlsxOf(['受理编号', '姓名'], [...cases.map((a) => [a.caseNo, a.name]), ['SL123', '某某']]));
    const last = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);

    const dry = await runFerry(['batch', 'flexible-worker-enrollment', file, '--dry-run', '--json'], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(last(dry.stdout)).toMatchObject({ rows: 4, good: 3, bad: 1, states: { CHECKED: 3, NOT_QUEUED: 1 }, result: join(dir, 'cases-结果.xlsx') });
    expect((await rowsOf(readFileSync(join(dir, 'cases-结果.xlsx'))))[4].slice(2, 5)).toEqual(['未入队 NOT_QUEUED', undefined, '受理编号：受理编号为 SL 加 13 位数字 (case number is SL and 13 digits)']);

    const out = join(dir, 'result.xlsx');
    const waited = await runFerry(['batch', 'flexible-worker-enrollment', file, '--wait', '--json', '--out', out], env, 240_000);
    expect(waited.code, waited.stderr).toBe(0);
    expect(last(waited.stdout)).toMatchObject({ good: 3, bad: 1, queued: 3, states: { DONE: 3, NOT_QUEUED: 1 }, result: out });
    const target = await targetRowsById(fixtures.urls.medicalInsurance);
    const result = await rowsOf(readFileSync(out));
    expect(result.slice(1, 4).map((row) => row[3])).toEqual(cases.map((a) => target.get(a.idNumber)?.[0].serialNo));

    writeFileSync(join(dir, 'broken.xlsx'), Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.alloc(64, 1)]));
    const broken = await runFerry(['batch', 'flexible-worker-enrollment', join(dir, 'broken.xlsx')], env);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('the workbook is corrupt');
  }, 300_000);
});
