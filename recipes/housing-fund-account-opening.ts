/**
 * 灵活就业人员住房公积金开户: a flexible worker from outside the city, whose case 统一受理平台
 * has accepted, gets an account in 住房公积金管理系统 under the city's unit for flexible
 * workers, with their 居住证 scan as the certificate. The 回执 PDF is kept with the run.
 */
import { z } from 'zod';
import acceptance from '../bots/acceptance/index.ts';
import { CaseNo } from '../bots/acceptance/schemas.ts';
import housingFund from '../bots/housing-fund/index.ts';
import { HousingAccountEntry } from '../bots/housing-fund/schemas.ts';
import { BusinessError, defineRecipe, parseRecord } from '../runner/index.ts';

/** The city's lowest 月缴存基数 for 2026, in yuan: what a flexible worker opens with. */
const MINIMUM_MONTHLY_BASE = 2480;
/** Typed into the unit picker: the city's unit for flexible workers. */
const FLEXIBLE_WORKERS_UNIT = '灵活就业人员住房公积金缴存专户';

export default defineRecipe({
  id: 'housing-fund-account-opening',
  title: '灵活就业人员公积金开户: 受理平台 → 公积金',
  bots: { source: acceptance, target: housingFund },
  target: 'target',
  input: z.object({ caseNo: CaseNo }).strict(),
  key: (input) => input.caseNo,
  manualMinutes: 6,
  async read({ input, source }) {
    const applicant = await source.pages.cases.applicant(input.caseNo);
    if (applicant.status !== '已受理') throw new BusinessError(`案件状态为"${applicant.status}"，尚未受理 (case is not accepted)`);
    const scan = await source.pages.cases.permitScan(input.caseNo);
    if (!scan) throw new BusinessError('案件没有居住证扫描件，不能办理非本市户籍人员开户 (the case has no residence-permit scan)');
    return parseRecord(HousingAccountEntry, {
      name: applicant.name, idNumber: applicant.idNumber, phone: applicant.phone,
      unitKeyword: FLEXIBLE_WORKERS_UNIT, monthlyBase: MINIMUM_MONTHLY_BASE, scan,
    });
  },
  find: ({ record, target }) => target.pages.query.accountOf(record.idNumber),
  async write({ record, target, keep }) {
    const { account, receiptPdf } = await target.pages.accounts.open(record);
    await keep(`huizhi-${account}.pdf`, receiptPdf);
    return account;
  },
});
