/**
 * What both enrollment recipes (from an accepted case, and from a street's list) check and map
 * before 医保经办系统 takes an applicant: the fields as a careful clerk checks them, the birth
 * date and gender against the ID number, characters GBK cannot store, the street by its name in
 * the target's code list (asking a person when the list lacks it), and the formats 医保 wants.
 */
import { z } from 'zod';
import type { CaseApplicant } from '../../bots/acceptance/schemas.ts';
import { Enrollment } from '../../bots/medical-insurance/schemas.ts';
import type { StreetCodeList } from '../../bots/medical-insurance/street-code-list.ts';
import {
  assertGbkEncodable, assertGenderMatchesId, birthDateOfId, BusinessError, IdNumber, Mobile, nearestChoices, parseRecord, type AskDetails,
} from '../../runner/index.ts';

export const CITY = '江城市';
const STREET = /区([^区市]+?街道)/;

/** A text field of at most `max` characters without markup (no legacy screen holds `<`, `>`, `&` or `"` there). */
export const plainText = (label: string, english: string, max = 50) => z.string().min(1)
  .max(max, `${label}超过${max}字 (${english} longer than ${max} characters)`)
  .refine((text) => !/[<>&"]/.test(text), `${label}含有标记或脚本字符 (${english} contains markup)`);

/** An applicant as both recipes hold one before checking: the fields a case shows, as a list row carries them too. */
export type ApplicantFields = Pick<CaseApplicant, 'name' | 'idNumber' | 'gender' | 'birthDate' | 'phone' | 'hukouAddress' | 'currentAddress'>;

const CheckedApplicant = z.object({
  name: plainText('姓名', 'name'),
  idNumber: IdNumber,
  phone: Mobile,
  hukouAddress: plainText('户籍地址', 'hukou address'),
  currentAddress: plainText('现居住地址', 'current address'),
});

/** Checks an applicant as a careful clerk would; each failure is a BusinessError with a plain reason. */
export function checkApplicantFields(a: ApplicantFields): void {
  const checked = parseRecord(CheckedApplicant, a);
  if (birthDateOfId(checked.idNumber) !== a.birthDate) throw new BusinessError('出生日期与身份证号不一致 (birth date disagrees with the ID number)');
  assertGenderMatchesId(a.gender === '男' ? 'M' : 'F', checked.idNumber);
  for (const [label, text] of [['姓名', a.name], ['户籍地址', a.hukouAddress], ['现居住地址', a.currentAddress]]) {
    assertGbkEncodable(text, label);
  }
}

/** True for an applicant whose hukou is outside the city: they need a residence permit. */
export function fromOutsideCity(a: Pick<ApplicantFields, 'hukouAddress'>): boolean {
  return !a.hukouAddress.startsWith(CITY);
}

/** The choice that refuses the record rather than take any offered street. */
const REFUSE = 'refuse';

/** The `street` question both recipes declare. */
export const STREET_QUESTION = {
  kind: 'choose',
  prompt: { zh: '现居住地址中的街道不在医保系统代码表中：请选择对应的街道，或退回', en: 'The street of the current address is not in the medical-insurance code list: choose the matching street, or refuse the record' },
} as const;

/**
 * The street of the current address as the target's code list names it. A street the list
 * lacks (renamed in a reorganisation) is put to a person: the nearest entries, or refuse.
 */
export async function streetInCodeList(a: ApplicantFields, streets: StreetCodeList, ask: (id: 'street', details: AskDetails) => Promise<string>): Promise<string> {
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

/** The applicant in 医保's formats: 性别 1/2, 出生日期 YYYYMMDD, 户籍 本市 1 / 外省市 2. */
export function toEnrollment(a: ApplicantFields, street: string, permitNo: string | undefined): Enrollment {
  return Enrollment.parse({
    name: a.name,
    idNumber: a.idNumber,
    genderCode: a.gender === '男' ? '1' : '2',
    birthDate: a.birthDate.replaceAll('-', ''),
    phone: a.phone,
    hukouCode: fromOutsideCity(a) ? '2' : '1',
    hukouAddress: a.hukouAddress,
    currentAddress: a.currentAddress,
    streetName: street,
    insuranceKind: '职工基本医疗保险',
    permitNo,
  });
}
