/** Picking fixture applicants by what a test needs. */
import type { Applicant } from '../../fixtures/data/applicants.ts';

const MATTER = '灵活就业人员参保登记';

/** Cases the enrollment recipe should enter: eligible, clean, local. */
export function enterableCases(applicants: Applicant[]): Applicant[] {
  return applicants.filter((a) => a.matter === MATTER && a.status === '已受理' && !a.defect && !a.outsideCity);
}

/** Cases the enrollment recipe should enter from three systems: eligible, clean, hukou outside the city. */
export function outsiderCases(applicants: Applicant[]): Applicant[] {
  return applicants.filter((a) => a.matter === MATTER && a.status === '已受理' && !a.defect && a.outsideCity);
}

/** Eligible cases carrying a deliberate defect. */
export function defectiveCases(applicants: Applicant[]): Applicant[] {
  return applicants.filter((a) => a.matter === MATTER && a.status === '已受理' && a.defect);
}

export { targetRowsById } from '../../fixtures/inspect.ts';
