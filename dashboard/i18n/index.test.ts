/** Choosing the language and filling in messages. */
import { describe, expect, it } from 'vitest';
import { pickLanguage, translator } from './index.ts';

describe('pickLanguage', () => {
  it.each([
    [undefined, undefined, 'zh'],
    [undefined, 'en-US,en;q=0.9', 'en'],
    [undefined, 'fr-FR,zh-CN;q=0.8,en;q=0.5', 'zh'],
    ['zh', 'en-US', 'zh'],
    ['en', 'zh-CN', 'en'],
    ['klingon', 'de-DE', 'zh'],
  ] as const)('with cookie %s and Accept-Language %s picks %s', (cookie, accept, language) => {
    expect(pickLanguage(cookie, accept)).toBe(language);
  });
});

describe('translator', () => {
  it('fills in the values a message names', () => {
    expect(translator('en')('run.attempt', { n: 3 })).toBe('Attempt 3');
    expect(translator('zh')('run.attempt', { n: 3 })).toBe('第 3 次尝试');
  });
});
