/** The residence system's screens as typed data: dates shown as 2021年03月01日 come out ISO. */
import { z } from 'zod';
import { IdNumber, IsoDate } from '../../runner/index.ts';
import { PERMIT_NO } from './number-fields.ts';

/** A 居住证号 such as `JZ202600001234`. */
export const PermitNo = z.string().regex(PERMIT_NO, '居住证号格式不正确 (not a permit number)');
export type PermitNo = z.infer<typeof PermitNo>;

/** One row of the 新签发居住证查询 grid. */
export const PermitListing = z.object({
  name: z.string().min(1),
  idNumber: IdNumber,
  permitNo: PermitNo,
  /** 签发日期, ISO `YYYY-MM-DD`. */
  issuedOn: IsoDate,
  /** 有效期至, ISO `YYYY-MM-DD`. */
  validUntil: IsoDate,
});
export type PermitListing = z.infer<typeof PermitListing>;

/** The permit shown on 持证人查询 for a chosen holder. */
export const HolderPermit = z.object({
  permitNo: PermitNo,
  /** 有效期至, ISO `YYYY-MM-DD`. */
  validUntil: IsoDate,
  /** 状态 as shown, e.g. 有效 or 已过期. */
  status: z.string().min(1),
});
export type HolderPermit = z.infer<typeof HolderPermit>;
