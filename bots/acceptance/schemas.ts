/** The acceptance platform's screens as typed data. */
import { z } from 'zod';

/** 受理编号: SL and 13 digits; the key of every recipe that starts from an accepted case, and its column in a batch file. */
export const CaseNo = z.string().regex(/^SL\d{13}$/, '受理编号为 SL 加 13 位数字 (case number is SL and 13 digits)')
  .meta({ title: '受理编号', description: 'SL 加 13 位数字 (SL and 13 digits)', examples: ['SL2026030100001'] });

/** The applicant table of a case detail page, as shown (dates already ISO on this system). */
export const CaseApplicant = z.object({
  caseNo: z.string().min(1),
  name: z.string(),
  idNumber: z.string(),
  gender: z.enum(['男', '女']),
  birthDate: z.string(),
  phone: z.string(),
  hukouAddress: z.string(),
  currentAddress: z.string(),
  matter: z.string(),
  acceptedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  status: z.string(),
});
export type CaseApplicant = z.infer<typeof CaseApplicant>;

/** Screen label → field of {@link CaseApplicant}. */
export const APPLICANT_LABELS: Record<string, keyof CaseApplicant> = {
  受理编号: 'caseNo', 姓名: 'name', 公民身份号码: 'idNumber', 性别: 'gender', 出生日期: 'birthDate',
  手机号: 'phone', 户籍地址: 'hukouAddress', 现居住地址: 'currentAddress', 申请事项: 'matter',
  受理日期: 'acceptedOn', 状态: 'status',
};

/** A certificate filed in the 电子档案袋. */
export const ArchiveEntry = z.object({
  idNumber: z.string(),
  name: z.string(),
  certType: z.enum(['居住证', '营业执照', '学历证书']),
  certNo: z.string().min(1),
  issuedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  validUntil: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});
export type ArchiveEntry = z.infer<typeof ArchiveEntry>;
