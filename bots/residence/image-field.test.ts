/** Validated OCR of number images: a value is accepted only when a check or a second read backs it. */
import { describe, expect, it } from 'vitest';
import { renderTextPng } from '../../fixtures/text-image.ts';
import type { Ocr } from '../../runner/index.ts';
import { useOcr } from '../../test/support/ocr.ts';
import { readImageField } from './image-field.ts';
import { ID_NUMBER_FIELD, PERMIT_NUMBER_FIELD } from './number-fields.ts';
import { blankPng } from './test-helpers.ts';

/**
 * An Ocr that gives scripted answers, to show what the reader decides on each kind of
 * answer: `lines` for whole-line reads in turn, `glyphs` one character per glyph read.
 */
function answering(script: { lines?: string[]; glyphs?: string }): Ocr & { reads: number } {
  const lines = [...(script.lines ?? [])];
  const glyphs = [...(script.glyphs ?? '')];
  return {
    reads: 0,
    async read(_png, options) {
      this.reads++;
      return (options?.psm === 10 ? glyphs.shift() : lines.shift()) ?? '';
    },
  };
}
const numberPng = (text: string) => renderTextPng(text, { fontSize: 20 });

describe('reading with tesseract', () => {
  const ocr = useOcr({ langs: ['eng'] });

  it('reads an ID number and a permit number drawn as the residence system draws them', async () => {
    expect(await readImageField(ocr, numberPng('11010519491231002X'), ID_NUMBER_FIELD)).toBe('11010519491231002X');
    expect(await readImageField(ocr, numberPng('JZ202600001234'), PERMIT_NUMBER_FIELD)).toBe('JZ202600001234');
  });

  it('rejects an ID number with a wrong check digit even when it is read perfectly', async () => {
    await expect(readImageField(ocr, numberPng('110105194912310021'), ID_NUMBER_FIELD))
      .rejects.toMatchObject({ name: 'BusinessError', message: '无法可靠识别身份证号 (could not read the ID number reliably)' });
  });

  it('rejects a blank image', async () => {
    await expect(readImageField(ocr, blankPng(), PERMIT_NUMBER_FIELD)).rejects.toMatchObject({ name: 'BusinessError' });
  });
});

describe('deciding on the reads', () => {
  const idPng = numberPng('11010519491231002X');
  const permitPng = numberPng('JZ202600001234');

  it('accepts an ID number on the first read that passes the check digit', async () => {
    const ocr = answering({ lines: ['11010519491231002X'] });
    expect(await readImageField(ocr, idPng, ID_NUMBER_FIELD)).toBe('11010519491231002X');
    expect(ocr.reads).toBe(1);
  });

  it('reads an ID number again, glyph by glyph, after a read that fails the check digit', async () => {
    const ocr = answering({ lines: ['110105194912310021'], glyphs: '11010519491231002X' });
    expect(await readImageField(ocr, idPng, ID_NUMBER_FIELD)).toBe('11010519491231002X');
  });

  it('accepts a permit number once the line and the glyph-by-glyph readings agree', async () => {
    const ocr = answering({ lines: ['JZ202600001234'], glyphs: 'JZ202600001234' });
    expect(await readImageField(ocr, permitPng, PERMIT_NUMBER_FIELD)).toBe('JZ202600001234');
  });

  it('rejects a permit number that two readings see differently, whatever the third says', async () => {
    const ocr = answering({ lines: ['JZ202600001234', 'JZ202600001234'], glyphs: 'JZ202600007234' });
    await expect(readImageField(ocr, permitPng, PERMIT_NUMBER_FIELD))
      .rejects.toMatchObject({ name: 'BusinessError', message: '无法可靠识别居住证号 (could not read the permit number reliably)' });
  });

  it('rejects a permit number that only one reading sees well', async () => {
    const ocr = answering({ lines: ['JZ202600001234', 'JZ20260000123'], glyphs: 'JZ20260000123' });
    await expect(readImageField(ocr, permitPng, PERMIT_NUMBER_FIELD)).rejects.toMatchObject({ name: 'BusinessError' });
  });
});
