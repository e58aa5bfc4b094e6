/** What each kind of question takes as an answer, checked before anything is stored. */
import { describe, expect, it } from 'vitest';
import { IdNumber } from '../validate/index.ts';
import { checkAnswer } from './answer-check.ts';
import type { Question } from './question.ts';

const prompt = { zh: '问', en: 'ask' };
const idNumber: Question = { kind: 'value', prompt, schema: IdNumber };
const permit: Question = { kind: 'choose', prompt };
const confirm: Question = { kind: 'confirm', prompt };

describe('checkAnswer', () => {
  it('takes a typed value that passes the schema, trimmed, and refuses a wrong check digit with the schema\'s reason', () => {
    expect(checkAnswer(idNumber, {}, ' 11010519491231002X ')).toEqual({ value: '11010519491231002X' });
    expect(checkAnswer(idNumber, {}, '110105194912310021')).toMatchObject({ problem: expect.stringContaining('校验') });
  });

  it('takes only one of the offered values for a choice', () => {
    const offered = { choices: [{ value: 'JZ202600000001', label: '2026-01-05 签发' }, { value: 'JZ202500000002', label: '2025-03-01 签发' }] };
    expect(checkAnswer(permit, offered, 'JZ202500000002')).toEqual({ value: 'JZ202500000002' });
    expect(checkAnswer(permit, offered, 'JZ209900000009')).toHaveProperty('problem');
    expect(checkAnswer(permit, {}, 'anything')).toHaveProperty('problem');
  });

  it('takes yes or no for a confirmation, and refuses empty or overlong answers of any kind', () => {
    expect(checkAnswer(confirm, {}, 'no')).toEqual({ value: 'no' });
    expect(checkAnswer(confirm, {}, 'maybe')).toHaveProperty('problem');
    expect(checkAnswer(idNumber, {}, '   ')).toHaveProperty('problem');
    expect(checkAnswer({ kind: 'value', prompt }, {}, 'x'.repeat(201))).toHaveProperty('problem');
  });
});
