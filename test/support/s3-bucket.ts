/**
 * A real S3-protocol server (s3rver) for a test file, in this process (on 127.0.0.1 unless told) with its
 * objects in a temporary dir, holding one empty bucket; and a plain S3 client to look into it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll } from 'vitest';

/** The keys s3rver checks signatures against. */
const KEYS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface TestBucket {
  bucket: string;
  /** The key prefix Ferry is given (`FERRY_EVIDENCE_URL=s3://<bucket>/<prefix>`). */
  prefix: string;
  endpoint: string;
  /** The variables that send a Ferry's evidence to this bucket. */
  env: Record<string, string>;
  client: S3Client;
  /** Every object key under the prefix. */
  keys(): Promise<string[]>;
  /** One object's bytes, as stored. */
  bytes(key: string): Promise<Buffer>;
  /** The file s3rver keeps an object in (its mtime is the object's LastModified). */
  fileOf(key: string): string;
}

/** Where {@link useS3Bucket} serves. */
export interface S3BucketOptions {
  bucket?: string;
  prefix?: string;
  /** The address to listen on, read when the server starts. @defaultValue 127.0.0.1 */
  address?: () => string;
}

/** Starts the server and its bucket once for the file; returns a getter. */
export function useS3Bucket(options: S3BucketOptions = {}): () => TestBucket {
  const { bucket = 'ferry-evidence', prefix = 'city/evidence' } = options;
  let server: S3rver | undefined;
  let found: TestBucket | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'ferry-s3-'));
  beforeAll(async () => {
    const address = options.address?.() ?? '127.0.0.1';
    server = new S3rver({ address, port: 0, silent: true, directory: dir, configureBuckets: [{ name: bucket, configs: [] }] });
    const { port } = await server.run();
    const endpoint = `http://${address}:${port}`;
    const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: KEYS });
    found = {
      bucket, prefix, endpoint, client,
      env: {
        FERRY_EVIDENCE_URL: `s3://${bucket}/${prefix}`, FERRY_EVIDENCE_PATH_STYLE: '1', AWS_ENDPOINT_URL: endpoint,
        AWS_ACCESS_KEY_ID: KEYS.accessKeyId, AWS_SECRET_ACCESS_KEY: KEYS.secretAccessKey,
      },
      keys: async () => {
        const keys: string[] = [];
        let token: string | undefined;
        do {
          const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}/`, ContinuationToken: token }));
          keys.push(...(page.Contents ?? []).map((object) => object.Key!));
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
        return keys;
      },
      bytes: async (key) => Buffer.from(await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray()),
      fileOf: (key) => {
        const parts = key.split('/');
        return join(dir, bucket, ...parts.slice(0, -1), `${parts.at(-1)}._S3rver_object`);
      },
    };
  });
  afterAll(async () => {
    found?.client.destroy();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (!found) throw new Error('S3 server not started');
    return found;
  };
}
