/**
 * The inputs a recipe's chaos proof runs: read from a file the integrator gives (a JSON array,
 * or one JSON object a line), or listed by the recipe's own schedule. Every input is checked
 * against the recipe before anything starts, so a bad line stops the proof with its number.
 */
import { readFileSync } from 'node:fs';
import type { SessionPool } from '../../runner/browser/session-pool.ts';
import type { Recipe } from '../../runner/define/recipe.ts';
import { InputError } from '../../runner/errors.ts';
import type { Ocr } from '../../runner/ocr/types.ts';
import type { Runtime } from '../../runner/runtime.ts';
import { evidenceStoreFor } from '../../runner/evidence/evidence-store.ts';
import { checkInput, parseInputJson } from '../../runner/run/trigger.ts';
import { listRecords } from '../../runner/scheduler/list-records.ts';
import { slotDay } from '../../runner/scheduler/slots.ts';
import { UnreadableRow } from '../../runner/scheduler/unreadable-row.ts';

/** The raw items of an inputs file: a JSON array, or one JSON value a line (blank lines skipped). */
function itemsOf(file: string): unknown[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`--inputs ${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (text.trimStart().startsWith('[')) {
    const items = parseInputJson(text);
    if (!Array.isArray(items)) throw new InputError(`--inputs ${file}: not a JSON array`);
    return items;
  }
  return text.split('\n').flatMap((line, i) => {
    if (line.trim() === '') return [];
    try {
      return [parseInputJson(line)];
    } catch (error) {
      throw new InputError(`--inputs ${file}: line ${i + 1}: ${(error as Error).message}`);
    }
  });
}

/** The inputs in `file`, each checked against `recipe`; throws an InputError naming the first bad one. */
export function inputsFromFile(recipe: Recipe, file: string): unknown[] {
  const items = itemsOf(file);
  if (items.length === 0) throw new InputError(`--inputs ${file}: holds no inputs`);
  return items.map((item, i) => {
    try {
      return checkInput(recipe, item, (value) => value).input;
    } catch (error) {
      throw new InputError(`--inputs ${file}: input #${i + 1}: ${(error as Error).message}`);
    }
  });
}

/** What the recipe's schedule lists since `since` (`YYYY-MM-DD`), rows it could not read left out. */
export async function inputsFromSchedule(recipe: Recipe, since: string, tools: { runtime: Runtime; pool: SessionPool; ocr: Ocr }): Promise<{ inputs: unknown[]; unreadable: number }> {
  if (!recipe.schedule) throw new InputError(`recipe "${recipe.id}" has no schedule to list its inputs: give them with --inputs <file>`);
  const { config, secrets, log } = tools.runtime;
  const evidence = evidenceStoreFor(config, secrets, log);
  // Nobody waits at a chaos proof to answer a question the list puts about the batch.
  const ask = async (id: string) => {
    throw new InputError(`recipe "${recipe.id}" asks a person "${id}" about what its schedule lists since ${since}; the proof answers no questions: give a later --since, or --inputs <file>`);
  };
  const request = { since, day: slotDay(recipe.schedule, new Date()), ask };
  const listed = await listRecords(recipe, request, 'chaos-list', { pool: tools.pool, evidence, log, ocr: tools.ocr });
  const inputs = listed.filter((row) => !(row instanceof UnreadableRow));
  return { inputs: inputs.map((input) => checkInput(recipe, input, (value) => value).input), unreadable: listed.length - inputs.length };
}
