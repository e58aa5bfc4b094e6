/**
 * 灵活就业人员参保登记（名单）: a 街道 sends a spreadsheet of flexible workers to enroll, one
 * applicant per row with every field, and each is entered into 医保经办系统. The records come
 * from the file itself (`ferry batch`, the 批量 page): no source system, no schedule. The row
 * carries personal data, so its input is sealed (`sealedInput`); its key is the ID number,
 * kept in Redis only as a keyed hash. The checks and the mapping are the case recipe's. A person
 * already in 医保 (enrolled at the window, or from their case) is found, not entered again.
 */
import { z } from 'zod';
import medicalInsurance from '../bots/medical-insurance/index.ts';
import { PermitNo } from '../bots/residence/schemas.ts';
import { BusinessError, defineRecipe, IdNumber, IsoDate, Mobile } from '../runner/index.ts';
import { checkApplicantFields, fromOutsideCity, plainText, STREET_QUESTION, streetInCodeList, toEnrollment } from './enrollment/applicant-checks.ts';

export default defineRecipe({
  id: 'flexible-worker-list-enrollment',
  title: '灵活就业人员参保登记（名单）: 表格 → 医保',
  bots: { target: medicalInsurance },
  target: 'target',
  sealedInput: true,
  // A person on a 街道's list may have been enrolled at the window already, by hand or from their case.
  findFirst: true,
  input: z.object({
    name: plainText('姓名', 'name').meta({ title: '姓名', description: '与身份证一致 (as on the ID card)', examples: ['王芳'] }),
    idNumber: IdNumber.meta({ title: '身份证号', description: '18 位，设为文本列 (18 characters; a text column)', examples: ['110101199003074514'] }),
    gender: z.enum(['男', '女']).meta({ title: '性别', description: '男 或 女', examples: ['男'] }),
    birthDate: IsoDate.meta({ title: '出生日期', description: 'YYYY-MM-DD', examples: ['1990-03-07'] }),
    phone: Mobile.meta({ title: '手机号码', description: '11 位 (11 digits)', examples: ['13812345678'] }),
    hukouAddress: plainText('户籍地址', 'hukou address').meta({ title: '户籍地址', examples: ['江城市临江区湖滨街道文一路1号'] }),
    currentAddress: plainText('现居住地址', 'current address').meta({ title: '现居住地址', description: '须含街道 (with the street)', examples: ['江城市临江区湖滨街道文一路1号'] }),
    permitNo: PermitNo.optional().meta({ title: '居住证号', description: '外省市户籍必填 (required for a hukou outside the city)' }),
  }).strict(),
  key: (row) => row.idNumber,
  manualMinutes: 4,
  questions: { street: STREET_QUESTION },
  async read({ input, target, ask }) {
    checkApplicantFields(input);
    const street = await streetInCodeList(input, target.pages.streets, ask);
    if (!fromOutsideCity(input)) return toEnrollment(input, street, undefined);
    if (!input.permitNo) throw new BusinessError('外省市户籍须填写居住证号 (a hukou outside the city needs the permit number)');
    return toEnrollment(input, street, input.permitNo);
  },
  find: ({ record, target }) => target.pages.search.receiptOf(record.idNumber),
  write: ({ record, target }) => target.pages.enrollment.submit(record),
  verify: ({ record, receipt, target }) => target.pages.search.expectRegistered(receipt, record.idNumber, record.name),
});
