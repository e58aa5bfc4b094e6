/** What 住房公积金 个人开户 takes: the applicant, the unit to open under, the monthly base and the certificate scan. */
import { z } from 'zod';
import { IdNumber, Mobile } from '../../runner/index.ts';

export const HousingAccountEntry = z.object({
  name: z.string().min(1).max(20),
  idNumber: IdNumber,
  phone: Mobile,
  /** Typed into the 单位选择 window's search; the first unit it lists is taken. */
  unitKeyword: z.string().min(2),
  /** 月缴存基数, whole yuan. */
  monthlyBase: z.number().int().min(2000).max(35000),
  /** 证件扫描件, PNG. */
  scan: z.instanceof(Buffer),
});
export type HousingAccountEntry = z.infer<typeof HousingAccountEntry>;

/** What 保存 gives back: the 个人账号 and the 回执 PDF. */
export interface OpenedAccount {
  account: string;
  receiptPdf: Buffer;
}
