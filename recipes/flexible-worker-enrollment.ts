/**
 * 灵活就业人员参保登记: an accepted case in 统一受理平台 is entered into 医保经办系统.
 * Checks the applicant as a careful clerk would, then maps the formats: 性别 to 1/2,
 * 出生日期 to YYYYMMDD, 户籍 to 本市/外省市, 街道 by its name in the code list. For
 * applicants from outside the city it reads the 居住证号 from 公安居住证管理: three systems.
 * What a person settles better than a rejection, `read` asks: a permit number OCR cannot
 * read, one of several valid permits, a street the code list no longer holds.
 */
import { z } from 'zod';
import acceptance from '../bots/acceptance/index.ts';
import { CaseNo, type CaseApplicant } from '../bots/acceptance/schemas.ts';
import medicalInsurance from '../bots/medical-insurance/index.ts';
import residence from '../bots/residence/index.ts';
import { PermitNo, type HolderPermit } from '../bots/residence/schemas.ts';
import { BusinessError, defineRecipe, gbkUnencodable, Mobile, type AskDetails } from '../runner/index.ts';
import { checkApplicantFields, fromOutsideCity, plainText, STREET_QUESTION, streetInCodeList, toEnrollment } from './enrollment/applicant-checks.ts';

const MATTER = '灵活就业人员参保登记';

function checkApplicant(a: CaseApplicant): void {
  if (a.matter !== MATTER) throw new BusinessError(`案件事项为"${a.matter}"，不是${MATTER} (wrong matter)`);
  if (a.status !== '已受理') throw new BusinessError(`案件状态为"${a.status}"，尚未受理 (case is not accepted)`);
  checkApplicantFields(a);
}

/** The one valid permit of an applicant from outside the city; of several, the one a person chooses. */
async function validPermit(permits: HolderPermit[], ask: (id: 'permit', details: AskDetails) => Promise<string>): Promise<HolderPermit> {
  if (permits.length === 0) throw new BusinessError('外省市户籍但未查询到居住证 (hukou outside the city and no residence permit found)');
  const valid = permits.filter((permit) => permit.status === '有效');
  if (valid.length === 0) throw new BusinessError(`居住证状态为"${permits[0].status}" (the residence permit is not valid)`);
  if (valid.length === 1) return valid[0];
  const chosen = await ask('permit', {
    choices: valid.map((permit) => ({ value: permit.permitNo, label: `${permit.permitNo}（有效期至 ${permit.validUntil}）` })),
  });
  return valid.find((permit) => permit.permitNo === chosen)!;
}

export default defineRecipe({
  id: 'flexible-worker-enrollment',
  title: '灵活就业人员参保登记: 受理平台 → 医保',
  bots: { source: acceptance, target: medicalInsurance, residence },
  target: 'target',
  input: z.object({ caseNo: CaseNo }).strict(),
  key: (input) => input.caseNo,
  manualMinutes: 4,
  questions: {
    permitNo: {
      kind: 'value',
      prompt: { zh: '居住证号图片无法识别：请对照图片或申请人的居住证输入居住证号', en: 'The permit number image could not be read: type the number from the image or the applicant\'s permit' },
      schema: PermitNo,
    },
    permit: {
      kind: 'choose',
      prompt: { zh: '申请人有多张有效居住证：请对照申请材料选择本次使用的一张', en: 'The applicant holds several valid residence permits: choose the one the application uses' },
    },
    street: STREET_QUESTION,
  },
  schedule: {
    cron: '0 2 * * *',
    list: async ({ source, since }) =>
      (await source.pages.caseList.acceptedSince(since, { matter: MATTER, status: '已受理' })).map((caseNo) => ({ caseNo })),
  },
  async read({ input, source, residence, target, ocr, ask }) {
    const applicant = await source.pages.cases.applicant(input.caseNo);
    checkApplicant(applicant);
    const street = await streetInCodeList(applicant, target.pages.streets, ask);
    if (!fromOutsideCity(applicant)) return toEnrollment(applicant, street, undefined);
    // A number OCR cannot read is read by a person from the same image: the clerk at the counter, or ops for a nightly sync.
    const permits = await residence.pages.persons.permitsOf(applicant.idNumber, ocr, { readUnreadable: (image) => ask('permitNo', { image }) });
    return toEnrollment(applicant, street, (await validPermit(permits, ask)).permitNo);
  },
  find: ({ record, target }) => target.pages.search.receiptOf(record.idNumber),
  write: ({ record, target }) => target.pages.enrollment.submit(record),
  verify: ({ record, receipt, target }) => target.pages.search.expectRegistered(receipt, record.idNumber, record.name),
  // A clerk may check the record before it is entered (二次核对), each field beside the form the acceptance
  // platform shows, and correct in place a name, mobile or permit number the papers in front of them show otherwise.
  confirm: 'trigger',
  confirmRows: (record) => [
    { label: '姓名', target: record.name, field: 'name' },
    { label: '身份证号', target: record.idNumber },
    { label: '性别', source: record.genderCode === '1' ? '男' : '女', target: record.genderCode },
    { label: '出生日期', source: record.birthDate.replace(/^(\d{4})(\d{2})(\d{2})$/, '$1-$2-$3'), target: record.birthDate },
    { label: '手机号码', target: record.phone, field: 'phone' },
    { label: '户籍性质', source: record.hukouCode === '1' ? '本市' : '外省市', target: record.hukouCode },
    { label: '户籍地址', target: record.hukouAddress },
    { label: '现居住地址', target: record.currentAddress },
    { label: '街道', source: record.currentAddress, target: record.streetName },
    ...(record.permitNo ? [{ label: '居住证号', target: record.permitNo, field: 'permitNo' }] : []),
  ],
  // The addresses are not corrected here: 户籍性质 and 街道 are derived from them.
  corrections: z.object({
    name: plainText('姓名', 'name').refine((name) => gbkUnencodable(name).length === 0, '姓名含有医保系统无法保存的字符 (the name has characters the target cannot store)'),
    phone: Mobile,
    permitNo: PermitNo,
  }),
});
