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
import type { CaseApplicant } from '../bots/acceptance/schemas.ts';
import medicalInsurance from '../bots/medical-insurance/index.ts';
import residence from '../bots/residence/index.ts';
import { Enrollment } from '../bots/medical-insurance/schemas.ts';
import type { StreetCodeList } from '../bots/medical-insurance/street-code-list.ts';
import { PermitNo, type HolderPermit } from '../bots/residence/schemas.ts';
import {
  assertGbkEncodable, assertGenderMatchesId, gbkUnencodable, birthDateOfId, BusinessError, defineRecipe, IdNumber, Mobile, nearestChoices, parseRecord, type AskDetails,
} from '../runner/index.ts';

const MATTER = '灵活就业人员参保登记';
const CITY = '江城市';
const STREET = /区([^区市]+?街道)/;

/** A text field of at most `max` characters without markup (no legacy screen holds `<`, `>`, `&` or `"` there). */
const plainText = (label: string, english: string, max = 50) => z.string().min(1)
  .max(max, `${label}超过${max}字 (${english} longer than ${max} characters)`)
  .refine((text) => !/[<>&"]/.test(text), `${label}含有标记或脚本字符 (${english} contains markup)`);

/** The applicant as a careful clerk checks it; each failure is a plain-language reason. */
const CheckedApplicant = z.object({
  name: plainText('姓名', 'name'),
  idNumber: IdNumber,
  phone: Mobile,
  hukouAddress: plainText('户籍地址', 'hukou address'),
  currentAddress: plainText('现居住地址', 'current address'),
});

function checkApplicant(a: CaseApplicant): void {
  if (a.matter !== MATTER) throw new BusinessError(`案件事项为"${a.matter}"，不是${MATTER} (wrong matter)`);
  if (a.status !== '已受理') throw new BusinessError(`案件状态为"${a.status}"，尚未受理 (case is not accepted)`);
  const checked = parseRecord(CheckedApplicant, a);
  if (birthDateOfId(checked.idNumber) !== a.birthDate) throw new BusinessError('出生日期与身份证号不一致 (birth date disagrees with the ID number)');
  assertGenderMatchesId(a.gender === '男' ? 'M' : 'F', checked.idNumber);
  for (const [label, text] of [['姓名', a.name], ['户籍地址', a.hukouAddress], ['现居住地址', a.currentAddress]]) {
    assertGbkEncodable(text, label);
  }
}

/** The choice that refuses the record rather than take any offered street. */
const REFUSE = 'refuse';

/**
 * The street of the current address as the target's code list names it. A street the list
 * lacks (renamed in a reorganisation) is put to a person: the nearest entries, or refuse.
 */
async function streetInCodeList(a: CaseApplicant, streets: StreetCodeList, ask: (id: 'street', details: AskDetails) => Promise<string>): Promise<string> {
  const street = STREET.exec(a.currentAddress)?.[1];
  if (!street) throw new BusinessError('现居住地址中没有街道 (no street in the current address)');
  if (await streets.has(street)) return street;
  const near = nearestChoices(street, await streets.names(), { ignore: '街道' });
  const chosen = await ask('street', {
    detail: `申请地址中的街道"${street}" (the street in the application)`,
    choices: [...near, { value: REFUSE, label: '都不对，退回 (none of these: refuse the record)' }],
  });
  if (chosen === REFUSE) throw new BusinessError(`街道"${street}"不在医保系统代码表中，已由人工退回 (the street is not in the code list; refused by a person)`);
  return chosen;
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

function toEnrollment(a: CaseApplicant, street: string, permitNo: string | undefined): Enrollment {
  const outside = !a.hukouAddress.startsWith(CITY);
  return Enrollment.parse({
    name: a.name,
    idNumber: a.idNumber,
    genderCode: a.gender === '男' ? '1' : '2',
    birthDate: a.birthDate.replaceAll('-', ''),
    phone: a.phone,
    hukouCode: outside ? '2' : '1',
    hukouAddress: a.hukouAddress,
    currentAddress: a.currentAddress,
    streetName: street,
    insuranceKind: '职工基本医疗保险',
    permitNo,
  });
}

export default defineRecipe({
  id: 'flexible-worker-enrollment',
  title: '灵活就业人员参保登记: 受理平台 → 医保',
  bots: { source: acceptance, target: medicalInsurance, residence },
  target: 'target',
  input: z.object({ caseNo: z.string().regex(/^SL\d{13}$/, '受理编号为 SL 加 13 位数字 (case number is SL and 13 digits)') }).strict(),
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
    street: {
      kind: 'choose',
      prompt: { zh: '现居住地址中的街道不在医保系统代码表中：请选择对应的街道，或退回', en: 'The street of the current address is not in the medical-insurance code list: choose the matching street, or refuse the record' },
    },
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
    if (applicant.hukouAddress.startsWith(CITY)) return toEnrollment(applicant, street, undefined);
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
