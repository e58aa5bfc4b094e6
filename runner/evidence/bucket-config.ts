/**
 * The settings of an evidence bucket, as runner/config.ts parses them from the environment:
 * `FERRY_EVIDENCE_URL` and, only when it is set, the usual AWS variables.
 */
import { z } from 'zod';

/** `s3://bucket[/prefix]`: a bucket name as S3 allows it, and a key prefix of plain path segments. */
const S3_URL = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/((?:[A-Za-z0-9._-]+\/)*[A-Za-z0-9._-]+)?\/?)?$/;

/** `FERRY_EVIDENCE_URL` as the bucket's name and key prefix; a clear message naming the form it wants otherwise. */
export const EvidenceUrl = z.string().transform((text, context) => {
  const match = S3_URL.exec(text);
  if (!match || /(^|\/)\.{1,2}(\/|$)/.test(match[2] ?? '')) {
    context.addIssue({ code: 'custom', message: `must be s3://bucket[/prefix], not "${text.slice(0, 100)}"` });
    return z.NEVER;
  }
  return { bucket: match[1], prefix: match[2] ?? '' };
});
const AwsEndpoint = z.url({ protocol: /^https?$/, error: 'an http:// or https:// address, e.g. https://minio.example.gov.cn:9000' });

/** What an evidence bucket needs besides its URL; read only when `FERRY_EVIDENCE_URL` is set. */
export const AwsEnvironment = z.object({
  AWS_ENDPOINT_URL_S3: AwsEndpoint.optional(),
  AWS_ENDPOINT_URL: AwsEndpoint.optional(),
  AWS_REGION: z.string().regex(/^[a-z0-9-]{1,40}$/, 'a region name such as us-east-1').default('us-east-1'),
  AWS_ACCESS_KEY_ID: z.string({ error: 'needed with FERRY_EVIDENCE_URL' }).min(1, 'needed with FERRY_EVIDENCE_URL'),
  AWS_SECRET_ACCESS_KEY: z.string({ error: 'needed with FERRY_EVIDENCE_URL' }).min(1, 'needed with FERRY_EVIDENCE_URL'),
  AWS_SESSION_TOKEN: z.string().min(1).optional(),
});

/** An S3-compatible bucket for evidence (`FERRY_EVIDENCE_URL` and the AWS variables). */
export interface EvidenceBucketConfig {
  bucket: string;
  /** Key prefix, no slash at either end; '' for the bucket's root. */
  prefix: string;
  /** `AWS_ENDPOINT_URL_S3`, else `AWS_ENDPOINT_URL`; unset, AWS's own endpoint for the region. */
  endpoint?: string;
  /** `AWS_REGION`. @defaultValue us-east-1 */
  region: string;
  /** Path-style addressing (`FERRY_EVIDENCE_PATH_STYLE=1`), as on-premise stores such as MinIO want. @defaultValue false */
  pathStyle: boolean;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}
