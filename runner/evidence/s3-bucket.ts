/**
 * Evidence in an S3-compatible bucket (AWS S3, MinIO and the like): an object per file under
 * `<prefix>/<runId>-<ms>/`, so ops reach a failure whichever machine recorded it. Files
 * arrive sealed and the manifest is sealed here. Object names carry no personal data: a kept
 * document's name (which may hold one) becomes a keyed hash, and only the sealed manifest
 * knows it. The sweep deletes only objects named as Ferry names them.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { SecretBox } from '../access/secrets.ts';
import type { EvidenceBucketConfig } from './bucket-config.ts';
import { KEPT_PREFIX, type EvidenceManifest, type EvidenceStorage } from './evidence-storage.ts';
import { sweepDir } from './local-disk.ts';

/** A folder's last segment: the run id and the time it was written. */
const FOLDER_ID = /^[A-Za-z0-9._@-]{1,300}-\d{13}$/;
/** The object names Ferry writes: the manifest, a kept document's hash, a page's or trace's file. */
const OBJECT_NAME = /^(?:manifest|kept-[0-9a-f]{24}|[a-z0-9-]+\.(?:png|html|trace\.zip))$/;
/** DeleteObjects takes at most this many keys. */
const DELETE_BATCH = 1000;

/**
 * The SDK and a client for the bucket. The SDK is loaded only when a bucket is configured:
 * it adds about a second to any start of `ferry`.
 */
async function openBucket(bucket: EvidenceBucketConfig): Promise<{ sdk: typeof import('@aws-sdk/client-s3'); client: S3Client }> {
  const sdk = await import('@aws-sdk/client-s3');
  const client = new sdk.S3Client({
    region: bucket.region,
    endpoint: bucket.endpoint,
    forcePathStyle: bucket.pathStyle,
    credentials: bucket.credentials,
    // On-premise stores may not know the newer checksum headers; S3 still gets them where an operation needs one.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
  });
  return { sdk, client };
}

/** A bucket's evidence folders under its key prefix. */
export class S3BucketStorage implements EvidenceStorage {
  readonly where: string;
  private readonly s3: ReturnType<typeof openBucket>;
  /** `<prefix>/`, or '' at the bucket's root. */
  private readonly keyPrefix: string;

  /**
   * `local.scratchDir` is an owner-only folder for trace chunks on their way up; `local.formerDir`
   * the evidence dir of the worker before it had a bucket, still swept by age.
   */
  constructor(private readonly bucket: EvidenceBucketConfig, private readonly box: SecretBox, private readonly local: { scratchDir: string; formerDir: string }) {
    this.where = `s3://${bucket.bucket}${bucket.prefix ? `/${bucket.prefix}` : ''}`;
    this.keyPrefix = bucket.prefix ? `${bucket.prefix}/` : '';
    this.s3 = openBucket(bucket);
  }

  get scratchDir(): string {
    return this.local.scratchDir;
  }

  async newFolder(runId: string): Promise<string> {
    return `${this.where}/${runId}-${Date.now()}`;
  }

  async put(folder: string, file: string, sealed: Buffer): Promise<void> {
    const { sdk, client } = await this.s3;
    await client.send(new sdk.PutObjectCommand({ Bucket: this.bucket.bucket, Key: this.keyOf(folder, this.objectName(file)), Body: sealed }));
  }

  async get(folder: string, file: string): Promise<Buffer | null> {
    return this.fetch(folder, this.objectName(file));
  }

  async putManifest(folder: string, manifest: EvidenceManifest): Promise<void> {
    await this.put(folder, 'manifest', this.box.sealBytes(Buffer.from(JSON.stringify(manifest), 'utf8')));
  }

  async getManifest(folder: string): Promise<EvidenceManifest | null> {
    const sealed = await this.fetch(folder, 'manifest');
    return sealed ? (JSON.parse(this.box.openBytes(sealed, 'The evidence manifest').toString('utf8')) as EvidenceManifest) : null;
  }

  /** Deletes whole folders whose newest object is older than `before`, and what lies in the local folders as old. */
  async sweep(before: number): Promise<number> {
    for (const dir of [this.local.scratchDir, this.local.formerDir]) await sweepDir(dir, before);
    const { sdk, client } = await this.s3;
    const folders = await this.listFolders();
    const old = [...folders.values()].filter((folder) => folder.newest < before);
    const keys = old.flatMap((folder) => folder.keys);
    for (let at = 0; at < keys.length; at += DELETE_BATCH) {
      const objects = keys.slice(at, at + DELETE_BATCH).map((Key) => ({ Key }));
      const { Errors } = await client.send(new sdk.DeleteObjectsCommand({ Bucket: this.bucket.bucket, Delete: { Objects: objects, Quiet: true } }));
      if (Errors?.length) throw new Error(`${Errors.length} evidence objects in ${this.where} were not deleted: ${Errors[0].Code} ${Errors[0].Message ?? ''}`);
    }
    return old.length;
  }

  /** Ferry's folders under the prefix: each one's object keys and the time of its newest object. */
  private async listFolders(): Promise<Map<string, { newest: number; keys: string[] }>> {
    const folders = new Map<string, { newest: number; keys: string[] }>();
    const { sdk, client } = await this.s3;
    let token: string | undefined;
    do {
      const page = await client.send(new sdk.ListObjectsV2Command({ Bucket: this.bucket.bucket, Prefix: this.keyPrefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        const [id, name, ...deeper] = object.Key!.slice(this.keyPrefix.length).split('/');
        if (deeper.length > 0 || !FOLDER_ID.test(id) || !OBJECT_NAME.test(name ?? '')) continue;
        const folder = folders.get(id) ?? { newest: 0, keys: [] };
        folder.newest = Math.max(folder.newest, object.LastModified?.getTime() ?? Date.now());
        folder.keys.push(object.Key!);
        folders.set(id, folder);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return folders;
  }

  /** One object's bytes; null when the folder is not this bucket's or the object is not there. */
  private async fetch(folder: string, object: string): Promise<Buffer | null> {
    if (!this.isFolder(folder)) return null;
    const { sdk, client } = await this.s3;
    try {
      const { Body } = await client.send(new sdk.GetObjectCommand({ Bucket: this.bucket.bucket, Key: this.keyOf(folder, object) }));
      return Body ? Buffer.from(await Body.transformToByteArray()) : null;
    } catch (error) {
      if ((error as Error).name === 'NoSuchKey') return null;
      throw error;
    }
  }

  /** The object name of an evidence file: a kept document's name is replaced by its keyed hash. */
  private objectName(file: string): string {
    return file.startsWith(KEPT_PREFIX) ? `${KEPT_PREFIX}${this.box.keyedHash(file.slice(KEPT_PREFIX.length))}` : file;
  }

  private keyOf(folder: string, object: string): string {
    return `${this.keyPrefix}${folder.slice(this.where.length + 1)}/${object}`;
  }

  /** Whether `folder` names one of this bucket's folders (`<where>/<id>`). */
  private isFolder(folder: string): boolean {
    return folder.startsWith(`${this.where}/`) && FOLDER_ID.test(folder.slice(this.where.length + 1));
  }
}
