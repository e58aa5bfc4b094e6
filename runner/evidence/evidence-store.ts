/**
 * Evidence of runs: documents a recipe kept (a 回执 PDF), and, when a run failed, what its
 * pages looked like (see page-capture.ts). Each file is sealed with the secret key
 * (AES-256-GCM, see {@link SecretBox}) before it is stored: the pages show full ID numbers,
 * so nothing of them is stored in clear; {@link EvidenceStore.read} opens one for an ops
 * download. It is stored on the worker's disk, or in an S3-compatible bucket when
 * `FERRY_EVIDENCE_URL` is set, so that ops see it whichever worker recorded it. A store
 * that fails loses the evidence, never the run's outcome. A successful run's trace chunk is
 * discarded; old evidence is swept after its retention.
 */
import { join } from 'node:path';
import type { Lane } from '../browser/session-pool.ts';
import { maskText } from '../access/mask.ts';
import type { SecretBox } from '../access/secrets.ts';
import type { FerryConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import { EVIDENCE_FILE, KEPT_PREFIX, type EvidenceManifest, type EvidenceStorage } from './evidence-storage.ts';
import { LocalDiskStorage } from './local-disk.ts';
import { captureLanes, discardTraceChunks, startTraceChunks } from './page-capture.ts';
import { S3BucketStorage } from './s3-bucket.ts';

export { KEPT_DOCUMENT, KEPT_PREFIX, type EvidenceManifest, type EvidenceStorage } from './evidence-storage.ts';

/** A run's evidence, sealed, in one storage. */
export class EvidenceStore {
  constructor(
    private readonly storage: EvidenceStorage,
    private readonly retentionDays: number,
    private readonly box: SecretBox,
    private readonly log: Logger,
  ) {}

  /** Where evidence is kept: the evidence dir, or `s3://bucket/prefix`. */
  get where(): string {
    return this.storage.where;
  }

  /** Starts a trace chunk on every lane of a run. */
  async begin(lanes: Lane[], runId: string): Promise<void> {
    await startTraceChunks(lanes, runId);
  }

  /**
   * Ends the run's trace chunks, keeping them with screenshot and HTML when it failed, and
   * the documents the recipe kept (`kept`, by name) either way. Returns the folder, if any.
   * When the storage fails, it logs a warning and returns no folder: the run's outcome stands.
   */
  async end(lanes: Lane[], run: { runId: string; recipe: string }, failure?: Error, kept: ReadonlyMap<string, Buffer> = new Map()): Promise<string | undefined> {
    if (!failure) await discardTraceChunks(lanes);
    if (!failure && kept.size === 0) return undefined;
    try {
      return await this.store(lanes, run, failure, kept);
    } catch (error) {
      // A chunk left recording would fail the lane's next run.
      await discardTraceChunks(lanes);
      this.log.warn({ err: error, run: run.runId, where: this.where }, 'evidence not stored; the run keeps its outcome');
      return undefined;
    }
  }

  private async store(lanes: Lane[], run: { runId: string; recipe: string }, failure: Error | undefined, kept: ReadonlyMap<string, Buffer>): Promise<string> {
    const folder = await this.storage.newFolder(run.runId);
    const files: string[] = [];
    const put = async (file: string, content: Buffer) => {
      await this.storage.put(folder, file, this.box.sealBytes(content));
      files.push(file);
    };
    for (const [name, content] of kept) await put(`${KEPT_PREFIX}${name}`, content);
    if (failure) await captureLanes(lanes, this.storage.scratchDir, put);
    const manifest: EvidenceManifest = {
      runId: run.runId, recipe: run.recipe, reason: failure ? maskText(failure.message) : 'documents the recipe kept', capturedAt: new Date().toISOString(), files,
    };
    await this.storage.putManifest(folder, manifest);
    return folder;
  }

  /** The names of the evidence files of a folder, from its manifest; none when the folder is not the storage's. */
  async files(folder: string): Promise<string[]> {
    const manifest = await this.storage.getManifest(folder);
    return manifest ? manifest.files.filter((file) => EVIDENCE_FILE.test(file)) : [];
  }

  /** One evidence file, decrypted; null when the manifest does not list it or it is gone; a SecretKeyError when it was altered. */
  async read(folder: string, file: string): Promise<Buffer | null> {
    if (!(await this.files(folder)).includes(file)) return null;
    const sealed = await this.storage.get(folder, file);
    return sealed && this.box.openBytes(sealed, `Evidence ${file}`);
  }

  /** Deletes evidence older than the retention period; returns how many folders. */
  async sweep(now = Date.now()): Promise<number> {
    return this.storage.sweep(now - this.retentionDays * 86_400_000);
  }
}

/**
 * The evidence store of `config`: the bucket of `FERRY_EVIDENCE_URL` when it is set (trace
 * chunks pass through `<dataDir>/trace-scratch` on their way up, and what lies in
 * `<dataDir>/evidence` from before is still swept), else `<dataDir>/evidence`.
 */
export function evidenceStoreFor(config: FerryConfig, secrets: SecretBox, log: Logger): EvidenceStore {
  const dir = join(config.dataDir, 'evidence');
  const storage = config.evidenceBucket
    ? new S3BucketStorage(config.evidenceBucket, secrets, { scratchDir: join(config.dataDir, 'trace-scratch'), formerDir: dir })
    : new LocalDiskStorage(dir);
  return new EvidenceStore(storage, config.evidenceRetentionDays, secrets, log);
}
