/**
 * 居住证归档: permits newly issued in 公安居住证管理 are filed in the acceptance platform's
 * 电子档案袋, so later applications reuse the certificate instead of asking for a scan.
 * Runs nightly; the permit and ID numbers exist only as images and are read by OCR. A list
 * that reaches back more than a week (the first sync after an outage, a watermark left behind)
 * is filed only once ops confirm it.
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
  input: z.object({ permitNo: PermitNo.meta({ title: '居住证号' }), issuedOn: IsoDate.meta({ title: '签发日期', description: 'YYYY-MM-DD' }) }).strict(),
  key: (input) => input.permitNo,
  manualMinutes: 3,
  questions: {
    longReach: {
      kind: 'confirm',
      prompt: { zh: '本次同步回溯超过 7 天：全部归档吗？', en: 'This sync reaches back more than 7 days: archive everything it lists?' },
      answeredBy: 'ops',
      // Unanswered by the next night, the sync fails with "no answer" and the next one asks again.
      rejectAfterMinutes: 20 * 60,
    },
  },
  schedule: {
    cron: '30 2 * * *',
    async list({ source, since, day, ocr, ask }) {
      const rows = await source.pages.permits.issuedSince(since, ocr);
      const reach = Math.round((Date.parse(day) - Date.parse(since)) / 86_400_000);
      if (reach > 7 && rows.length > 0) {
        const detail = `列出自 ${since} 起共 ${reach} 天的签发记录 ${rows.length} 条 (the list reaches back ${reach} days to ${since} and holds ${rows.length} permits)`;
        if ((await ask('longReach', { detail })) !== 'yes') {
          throw new BusinessError(`运维未确认回溯 ${reach} 天的归档，本次同步不归档 (ops did not confirm archiving ${reach} days back; nothing filed)`);
        }
      }
      // A row whose numbers will not read stays an UnreadableRow: flagged for ops, the sync goes on.
      return rows.map((row) => (row instanceof UnreadableRow ? row : { permitNo: row.permitNo, issuedOn: row.issuedOn }));
    },
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
