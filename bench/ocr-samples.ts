/**
 * What the OCR benchmark reads, drawn by the fixture systems' own code: captchas from
 * the medical-insurance login's generator, and number images as the residence
 * system's NumImage.ashx draws them, for ID numbers and permits of seeded applicants.
 */
import { generateApplicants } from '../fixtures/data/applicants.ts';
import { SeededRandom } from '../fixtures/data/random.ts';
import { CaptchaStore } from '../fixtures/medical-insurance/captcha.ts';
import { renderTextPng } from '../fixtures/text-image.ts';
import { ID_NUMBER_FIELD, PERMIT_NUMBER_FIELD } from '../bots/residence/number-fields.ts';
import type { ImageField } from '../bots/residence/image-field.ts';

/** An image and the text it shows. */
export interface Sample {
  png: Buffer;
  truth: string;
}

/** A number image, with the field it is read as. */
export interface FieldSample extends Sample {
  field: ImageField;
}

/** `count` captchas exactly as the fixture login serves them, one after another. */
export function captchaSamples(count: number, seed: number): Sample[] {
  const store = new CaptchaStore(new SeededRandom(seed));
  return Array.from({ length: count }, () => {
    const png = store.issue('bench');
    return { png, truth: store.peek('bench')! };
  });
}

/** `count` number images, ID numbers and permit numbers in turn, all of them valid values. */
export function fieldSamples(count: number, seed: number): FieldSample[] {
  // About one applicant in five holds a permit; draw enough for half the samples.
  const applicants = generateApplicants({ seed, count: Math.max(50, count * 3) });
  const ids = applicants.filter((applicant) => ID_NUMBER_FIELD.isValid(applicant.idNumber)).map((applicant) => applicant.idNumber);
  const permits = applicants.flatMap((applicant) => (applicant.permit ? [applicant.permit.permitNo] : []));
  return Array.from({ length: count }, (_, i) => {
    const [values, field] = i % 2 === 0 ? [ids, ID_NUMBER_FIELD] : [permits, PERMIT_NUMBER_FIELD];
    const truth = values[Math.floor(i / 2) % values.length];
    // NumImage.ashx's drawing (fixtures/residence/num-image.ts draws inline with these options).
    return { png: renderTextPng(truth, { fontSize: 20 }), truth, field };
  });
}
