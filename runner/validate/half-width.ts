/**
 * Full-width (全角) to half-width (半角): what an IME or a scanned form leaves in
 * numbers, codes and dates.
 */

const FULL_WIDTH_ALPHANUMERIC = /[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g;
const FULL_WIDTH_ASCII = /[\uFF01-\uFF5E]/g;
const IDEOGRAPHIC_SPACE = /\u3000/g;

export interface HalfWidthOptions {
  /**
   * Also convert full-width punctuation (`－／（）＋，`). Right for codes, numbers and
   * dates; wrong for Chinese prose, where `，` and `（）` are the proper forms.
   * @defaultValue false
   */
  punctuation?: boolean;
}

/** Turns full-width digits and letters (`２０２１`, `ＡＢ`) into ASCII and the ideographic space into a space. */
export function toHalfWidth(text: string, options: HalfWidthOptions = {}): string {
  return text
    .replace(options.punctuation ? FULL_WIDTH_ASCII : FULL_WIDTH_ALPHANUMERIC, (char) => String.fromCharCode(char.charCodeAt(0) - 0xfee0))
    .replace(IDEOGRAPHIC_SPACE, ' ');
}
