/**
 * The dashboard's two languages: Chinese (default) and English, chosen by the `lang`
 * cookie (the toggle) or else the browser's Accept-Language.
 */
import { en } from './en.ts';
import { zh } from './zh.ts';

export type Language = 'zh' | 'en';
export type MessageKey = keyof typeof zh;
/** Looks a string up and fills in `{name}` values. */
export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

const MESSAGES: Record<Language, Record<MessageKey, string>> = { zh, en };

/** The language of a request: the cookie first, then the first zh or en in Accept-Language, else zh. */
export function pickLanguage(cookie: string | undefined, acceptLanguage: string | undefined): Language {
  if (cookie === 'zh' || cookie === 'en') return cookie;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.trim().toLowerCase();
    if (tag.startsWith('zh')) return 'zh';
    if (tag.startsWith('en')) return 'en';
  }
  return 'zh';
}

export function translator(language: Language): Translate {
  const messages = MESSAGES[language];
  return (key, values = {}) => messages[key].replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole));
}
