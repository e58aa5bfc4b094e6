/**
 * Text a GBK system cannot store. Rare characters outside GBK (often in names, like
 * 𠮷 or 鿏) would reach a GBK back office as `?`, so they are refused before entry.
 */
import iconv from 'iconv-lite';
import { BusinessError } from '../errors.ts';

function roundTrips(text: string): boolean {
  return iconv.decode(iconv.encode(text, 'gbk'), 'gbk') === text;
}

/** The distinct characters of `text` that GBK cannot encode, whole code points (not surrogate halves). */
export function gbkUnencodable(text: string): string[] {
  if (roundTrips(text)) return [];
  return [...new Set([...text].filter((char) => !roundTrips(char)))];
}

/** Throws {@link BusinessError} naming each character of `text` that GBK cannot encode, and its code point. */
export function assertGbkEncodable(text: string, fieldLabel: string): void {
  const chars = gbkUnencodable(text);
  if (chars.length === 0) return;
  const named = chars.map((char) => `"${char}" (U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`).join(', ');
  throw new BusinessError(
    `${fieldLabel}含有GBK无法编码的字符${named} (${fieldLabel} contains ${named}, which GBK cannot encode; a GBK system would corrupt it)`,
  );
}
