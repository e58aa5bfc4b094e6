/**
 * The numbers the residence system shows only as images: 身份证号, whose GB 11643
 * check digit catches a misread, and 居住证号, whose shape is all there is to check,
 * so two differently preprocessed reads must agree.
 */
import { idNumberProblem } from '../../runner/index.ts';
import type { ImageField } from './image-field.ts';

/** 居住证号: `JZ`, the year of issue (20xx) and an 8-digit serial. */
export const PERMIT_NO = /^JZ20\d{2}\d{8}$/;

/** An 18-character resident ID number with a valid region, birth date and check digit. */
export const ID_NUMBER_FIELD: ImageField = {
  label: ['身份证号', 'the ID number'],
  whitelist: '0123456789X',
  isValid: (text) => idNumberProblem(text) === undefined,
};

/** A residence permit number. */
export const PERMIT_NUMBER_FIELD: ImageField = {
  label: ['居住证号', 'the permit number'],
  whitelist: 'JZ0123456789',
  isValid: (text) => PERMIT_NO.test(text),
  agreeingReads: 2,
};
