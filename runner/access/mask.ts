/**
 * Masking of personal data (ID numbers, mobiles, e-mail addresses, names) for logs, job data, error
 * messages and the dashboard. One place, used everywhere personal data could leak.
 */

const ID_18 = /(?<![0-9A-Za-z])(\d{4})\d{10}(\d{3}[\dXx])(?![0-9A-Za-z])/g;
const ID_15 = /(?<![0-9A-Za-z])(\d{4})\d{8}(\d{3})(?![0-9A-Za-z])/g;
const MOBILE = /(?<![0-9A-Za-z])(1[3-9]\d)\d{4}(\d{4})(?![0-9A-Za-z])/g;
/** An e-mail address; its masked form (`z***@example.cn`) no longer matches, as `*` is no local-part character here. */
const EMAIL = /(?<![A-Za-z0-9._%+-])([A-Za-z0-9])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/g;

/** Masks every ID number, mobile and e-mail address in free text: `110105**********123X`, `138****5678`, `z***@example.cn`. */
export function maskText(text: string): string {
  return text
    .replace(ID_18, (_, head: string, tail: string) => `${head}${'*'.repeat(10)}${tail}`)
    .replace(ID_15, (_, head: string, tail: string) => `${head}${'*'.repeat(8)}${tail}`)
    .replace(MOBILE, (_, head: string, tail: string) => `${head}****${tail}`)
    .replace(EMAIL, (_, head: string, domain: string) => `${head}***@${domain}`);
}

/** Keeps a name's first character: `张**`. */
export function maskName(name: string): string {
  const chars = [...name];
  return chars.length === 0 ? '' : chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/** Field names whose values are names of people. */
const NAME_FIELDS = new Set(['name', 'xm', 'applicantName', '姓名']);

/** Deep-masks a value for logging: strings through maskText, name fields through maskName. */
export function maskValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskText(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: maskText(value.message) };
  if (Array.isArray(value)) return value.map((item) => maskValue(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = NAME_FIELDS.has(key) && typeof item === 'string' ? maskName(item) : maskValue(item, depth + 1);
  }
  return out;
}

/** What text still carries unmasked: ID numbers, mobiles, e-mail addresses; used by the leak scans and to hash keys. */
export function findUnmaskedPersonalData(text: string): string[] {
  return [...text.matchAll(ID_18), ...text.matchAll(MOBILE), ...text.matchAll(EMAIL)].map((match) => match[0]);
}

/** A copy of an error whose message and stack are masked, keeping its name for retry decisions. */
export function maskError(error: unknown): Error {
  const source = error instanceof Error ? error : new Error(String(error));
  const masked = new Error(maskText(source.message));
  masked.name = source.name;
  masked.stack = maskText(source.stack ?? '');
  return masked;
}
