/** Sending a workbook as a download, under a file name that may be Chinese (RFC 6266 with RFC 5987's `filename*`). */
import type { FastifyReply } from 'fastify';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** `attachment` with an ASCII fallback name and the UTF-8 name, percent-encoded as RFC 5987 wants. */
export function attachment(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** Answers with the workbook as a file to save. */
export function sendWorkbook(reply: FastifyReply, workbook: { fileName: string; bytes: Buffer }) {
  return reply.header('content-disposition', attachment(workbook.fileName)).type(XLSX).send(workbook.bytes);
}
