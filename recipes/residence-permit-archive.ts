/**
 * 居住证归档: permits newly issued in 公安居住证管理 are filed in the acceptance platform's
 * 电子档案袋, so later applications reuse the certificate instead of asking for a scan.
 * Runs nightly; the permit and ID numbers exist only as images and are read by OCR.
 */
import { z } from 'zod';
import acceptance from '../bots/acceptance/index.ts';
import { ArchiveEntry } from '../bots/acceptance/schemas.ts';
import residence from '../bots/residence/index.ts';
import { PermitNo } from '../bots/residence/schemas.ts';
import { BusinessError, defineRecipe, IsoDate, UnreadableRow } from '../runner/index.ts';

export default defineRecipe({
  id: 'residence-permit-archive',
  title: '居住证归档: 公安居住证 → 电子档案袋',
  bots: { source: residence, target: acceptance },
  target: 'target',
  input: z.object({ permitNo: PermitNo, issuedOn: IsoDate }).strict(),
  key: (input) => input.permitNo,
  manualMinutes: 3,
  schedule: {
    cron: '30 2 * * *',
    // A row whose numbers will not read stays an UnreadableRow: flagged for ops, the sync goes on.
    list: async ({ source, since, ocr }) => (await source.pages.permits.issuedSince(since, ocr))
      .map((row) => (row instanceof UnreadableRow ? row : { permitNo: row.permitNo, issuedOn: row.issuedOn })),
  },
  async read({ input, source, ocr }) {
    const permit = await source.pages.permits.find(input.permitNo, input.issuedOn, ocr);
    if (!permit) throw new BusinessError(`居住证 ${input.permitNo} 不在 ${input.issuedOn} 的签发记录中 (permit not found among that day's issues)`);
    return ArchiveEntry.parse({
      idNumber: permit.idNumber,
      name: permit.name,
      certType: '居住证',
      certNo: permit.permitNo,
      issuedOn: permit.issuedOn,
      validUntil: permit.validUntil,
    });
  },
  find: ({ record, target }) => target.pages.archive.archiveNoOf(record.idNumber, record.certNo),
  write: ({ record, target }) => target.pages.archive.file(record),
  async verify({ record, receipt, target }) {
    const filed = await target.pages.archive.archiveNoOf(record.idNumber, record.certNo);
    if (filed !== receipt) throw new BusinessError(`档案编号 ${receipt} 未在电子档案袋中找到 (archive entry not found)`);
  },
});
