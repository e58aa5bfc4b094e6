/**
 * Folder `runner/batch/`: batches from spreadsheets. A person (or the drop folder) hands in an
 * .xlsx or .csv for one recipe; every row is checked with the recipe's input schema before
 * anything is queued; the good rows become runs with the usual (recipe, key) ids, so a row
 * already entered or a file handed in twice enters nothing twice; each row's fate comes back
 * as a result workbook.
 *
 * `BatchDesk` is the one place the dashboard, the CLI and the drop folder go through: it
 * checks who may see a batch (its uploader and ops) and audits uploads, queueing and downloads.
 */
import { randomBytes } from 'node:crypto';
import { basename, extname } from 'node:path';
import type { Queue } from 'bullmq';
import { auditLogOf, type AuditLog } from '../access/audit.ts';
import type { Runtime } from '../runtime.ts';
import type { SecretBox } from '../access/secrets.ts';
import type { RecipeRegistry } from '../define/registry.ts';
import { InputError } from '../errors.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { RunJobData, TriggerIdentity } from '../run/types.ts';
import { fanOut } from '../scheduler/fan-out.ts';
import { readBatchFile, type BatchLimits, type Table } from './batch-file.ts';
import { batchProgress, type BatchProgress } from './batch-progress.ts';
import { BatchStore, type Batch, type BatchCells, type BatchSource } from './batch-store.ts';
import { checkRows } from './check-rows.ts';
import { resultWorkbook, templateWorkbook } from './workbooks.ts';

/** Who acts on a batch. */
export interface BatchActor {
  /** As the audit log names them. */
  name: string;
  identity: TriggerIdentity;
  ip?: string;
  /** Ops, admins and the command line see every batch; staff see their own. */
  seesAll: boolean;
}

/** A batch that does not exist, or that this person may not see (told apart by no one). */
export class BatchNotFoundError extends InputError {
  constructor(id: string) {
    super(`没有批次 ${id.slice(0, 40)} (no such batch, or it is not yours)`);
  }
}

/** What the desk needs. */
export interface BatchDeskDependencies {
  store: BatchStore;
  ledger: Ledger;
  queue: Queue<RunJobData>;
  recipes: RecipeRegistry;
  secrets: SecretBox;
  audit: AuditLog;
  attempts: number;
  limits: BatchLimits;
}

/** A file handed in. */
export interface BatchUpload {
  recipe: string;
  fileName: string;
  bytes: Buffer;
  source: BatchSource;
}

function newBatchId(): string {
  return `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** A file name safe to show and to offer as a download's name. */
function cleanFileName(name: string): string {
  return basename(name).replace(/[\u0000-\u001f"\\/]/g, '_').slice(0, 120) || 'batch';
}

/** The cells as kept for the result workbook: dates as `YYYY-MM-DD`, a cell Ferry could not read left empty. */
function cellsOf(table: Table): BatchCells {
  return {
    headers: table.headers,
    rows: table.rows.map((row) => ({
      number: row.number,
      cells: row.cells.map((cell) => (cell instanceof Date ? cell.toISOString().slice(0, 10) : cell !== null && typeof cell === 'object' ? null : cell)),
    })),
  };
}

export class BatchDesk {
  constructor(private readonly deps: BatchDeskDependencies) {}

  /** Reads and checks a file and keeps it as a batch; nothing is queued yet. A file that will not parse throws a BatchFileError. */
  async upload(upload: BatchUpload, actor: BatchActor): Promise<Batch> {
    const fileName = cleanFileName(upload.fileName);
    try {
      const recipe = this.deps.recipes.get(upload.recipe);
      const table = await readBatchFile(upload.bytes, fileName, this.deps.limits);
      const checked = checkRows(recipe, table, (value) => this.deps.secrets.keyedHash(value));
      const batch: Batch = {
        id: newBatchId(), recipe: recipe.id, by: actor.identity, source: upload.source, fileName,
        createdAt: Date.now(), state: 'checked', rows: table.rows.length - checked.skipped, skipped: checked.skipped,
        bad: checked.bad, good: checked.good.map(({ row, keyId }) => ({ row, keyId })),
      };
      await this.deps.store.create(batch, cellsOf(table), checked.good.map((row) => row.input));
      await this.audit(actor, 'batch-upload', batch.id, 'ok', `${recipe.id} ${fileName}: ${batch.good.length} good rows, ${batch.bad.length} bad`);
      return batch;
    } catch (error) {
      await this.audit(actor, 'batch-upload', upload.recipe.slice(0, 60), 'failed', `${fileName}: ${(error as Error).message}`);
      throw error;
    }
  }

  /** Queues the good rows of a checked batch, once; rows the ledger already settled are not run again. */
  async queue(id: string, actor: BatchActor): Promise<Batch> {
    const batch = await this.open(id, actor);
    if (await this.deps.store.markQueued(id, Date.now())) {
      try {
        const recipe = this.deps.recipes.get(batch.recipe);
        const inputs = await this.deps.store.inputs(id);
        await fanOut(this.deps.queue, this.deps.ledger, recipe, inputs, {
          trigger: { via: 'batch', by: batch.by }, hash: (value) => this.deps.secrets.keyedHash(value),
          secrets: this.deps.secrets, attempts: this.deps.attempts,
        });
      } catch (error) {
        await this.deps.store.unmarkQueued(id);
        await this.audit(actor, 'batch-queue', id, 'failed', (error as Error).message);
        throw error;
      }
      await this.audit(actor, 'batch-queue', id, 'ok', `${batch.good.length} rows`);
    }
    return (await this.deps.store.get(id))!;
  }

  /** The batch, if this person may see it. */
  async open(id: string, actor: BatchActor): Promise<Batch> {
    const batch = await this.deps.store.get(id);
    if (!batch || !(actor.seesAll || batch.by === actor.identity)) throw new BatchNotFoundError(id);
    return batch;
  }

  /** The batches this person may see, newest first. */
  async list(actor: BatchActor, limit = 50): Promise<Batch[]> {
    const batches: Batch[] = [];
    for (const id of await this.deps.store.recent(actor.seesAll ? limit : 2000)) {
      const batch = await this.deps.store.get(id);
      if (batch && (actor.seesAll || batch.by === actor.identity)) batches.push(batch);
      if (batches.length >= limit) break;
    }
    return batches;
  }

  async progress(id: string, actor: BatchActor): Promise<{ batch: Batch; progress: BatchProgress }> {
    const batch = await this.open(id, actor);
    return { batch, progress: await batchProgress(batch, this.deps.ledger, this.deps.queue) };
  }

  /** The result workbook: the uploaded columns and each row's fate. Audited, since it carries the file's personal data. */
  async result(id: string, actor: BatchActor): Promise<{ fileName: string; bytes: Buffer }> {
    const { batch, progress } = await this.progress(id, actor);
    const bytes = await resultWorkbook(await this.deps.store.cells(id), progress.rows);
    await this.audit(actor, 'batch-result', id, 'ok', `${batch.fileName}`);
    return { fileName: `${basename(batch.fileName, extname(batch.fileName))}-结果.xlsx`, bytes };
  }

  /** A recipe's template workbook. */
  async template(recipeId: string): Promise<{ fileName: string; bytes: Buffer }> {
    const recipe = this.deps.recipes.get(recipeId);
    return { fileName: `${recipe.id}-模板.xlsx`, bytes: await templateWorkbook(recipe) };
  }

  private async audit(actor: BatchActor, action: 'batch-upload' | 'batch-queue' | 'batch-result', target: string, outcome: 'ok' | 'failed', detail: string): Promise<void> {
    await this.deps.audit.record({ who: actor.name, ...(actor.ip ? { ip: actor.ip } : {}), action, target, outcome, detail });
  }
}

/** The batch desk of a runtime. */
export function batchDeskOf(runtime: Pick<Runtime, 'redis' | 'keys' | 'config' | 'ledger' | 'queue' | 'recipes' | 'secrets'>): BatchDesk {
  return new BatchDesk({
    store: new BatchStore(runtime.redis, runtime.keys, runtime.secrets, runtime.config.recordRetentionDays), ledger: runtime.ledger, queue: runtime.queue,
    recipes: runtime.recipes, secrets: runtime.secrets, audit: auditLogOf(runtime), attempts: runtime.config.attempts, limits: runtime.config.batchLimits,
  });
}
