/** The medical-insurance system's formats, as its screens want and show them. */
import { z } from 'zod';

/** A 灵活就业人员参保登记 entry in the target's own codes and formats. */
export const Enrollment = z.object({
  name: z.string().min(1).max(20),
  idNumber: z.string().length(18),
  /** 性别: 1 男, 2 女. */
  genderCode: z.enum(['1', '2']),
  /** 出生日期 as `YYYYMMDD`. */
  birthDate: z.string().regex(/^\d{8}$/),
  phone: z.string().regex(/^\d{11}$/),
  /** 户籍性质: 1 本市, 2 外省市. */
  hukouCode: z.enum(['1', '2']),
  hukouAddress: z.string().min(1).max(50),
  currentAddress: z.string().min(1).max(50),
  /** 街道, by the name shown in the code list. */
  streetName: z.string().min(1),
  /** 参保险种, by the name shown in the code list. */
  insuranceKind: z.string().min(1),
  permitNo: z.string().optional(),
}).refine((e) => e.hukouCode === '1' || Boolean(e.permitNo), { message: '外省市户籍须填写居住证号 (a permit number is required for hukou outside the city)' });
export type Enrollment = z.infer<typeof Enrollment>;

/** One row of the 参保人员查询 results. */
export const Registration = z.object({
  serialNo: z.string().regex(/^YB\d+$/),
  name: z.string(),
  idNumber: z.string(),
  gender: z.string(),
  birthDate: z.string(),
  insuranceKind: z.string(),
  registeredAt: z.string(),
});
export type Registration = z.infer<typeof Registration>;
