/**
 * The body of a form that uploads a file (`multipart/form-data`): read in a route's
 * `preValidation` hook, so the CSRF check that runs before every POST handler finds `_csrf`
 * among the fields, as it does in an ordinary form. The file is held in memory, cut at the
 * size limit given where `@fastify/multipart` is registered (server.ts).
 */
import type { FastifyRequest } from 'fastify';

/** The file a form carried. */
export interface UploadedFile {
  /** As the browser gave it; not yet cleaned. */
  fileName: string;
  bytes: Buffer;
  /** The file was larger than the limit, so `bytes` holds only its start. */
  cut: boolean;
}

/** A file upload form's fields (strings only) and its one file, if any. */
export interface UploadBody {
  fields: Record<string, string>;
  file?: UploadedFile;
  /** For the CSRF check. */
  _csrf?: string;
}

/** Reads the request's fields and file into an {@link UploadBody}; any other kind of body keeps only its string fields. */
export async function readUpload(request: FastifyRequest): Promise<void> {
  const fields: Record<string, string> = {};
  let file: UploadedFile | undefined;
  if (request.isMultipart()) {
    for await (const part of request.parts()) {
      if (part.type === 'file') file = { fileName: part.filename, bytes: await part.toBuffer(), cut: part.file.truncated };
      else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
    }
  } else if (typeof request.body === 'object' && request.body !== null) {
    for (const [name, value] of Object.entries(request.body)) if (typeof value === 'string') fields[name] = value;
  }
  const body: UploadBody = { fields, ...(file ? { file } : {}), ...(fields._csrf ? { _csrf: fields._csrf } : {}) };
  request.body = body;
}
