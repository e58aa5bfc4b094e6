/**
 * A recipe's input schema as spreadsheet columns: each field with its Chinese title, a
 * description and an example (from the field's zod `.meta()`), its code list when it is an
 * enum, and whether it holds a date. Headers match a column by its title or its field name.
 */
import { z } from 'zod';
import type { Recipe } from '../define/recipe.ts';
import { BatchFileError } from './batch-file.ts';

/** One column a recipe's batch file may carry. */
export interface BatchColumn {
  /** The input field, e.g. `idNumber`. */
  field: string;
  /** The header people write, e.g. 公民身份号码; the field name when the schema gives no title. */
  title: string;
  description: string;
  example?: string;
  required: boolean;
  /** The code list of an enum field. */
  choices?: string[];
  date: boolean;
}

/** What a field's `.meta()` may say. */
interface FieldMeta {
  title?: string;
  description?: string;
  examples?: unknown[];
}

function metaOf(schema: z.ZodType): FieldMeta {
  return (schema.meta() as FieldMeta | undefined) ?? {};
}

function unwrapped(schema: z.ZodType): z.ZodType {
  let inner = schema;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodNullable || inner instanceof z.ZodDefault) inner = inner.unwrap() as z.ZodType;
  return inner;
}

/** A date field: its schema takes a date written the Chinese way and gives it as ISO, as `IsoDate` (and any `.meta()` copy of it) does. */
function isDateSchema(schema: z.ZodType): boolean {
  return schema.safeParse('2024年2月29日').data === '2024-02-29';
}

/** The columns of a recipe whose input is a zod object; an error for any other recipe. */
export function columnsOf(recipe: Recipe): BatchColumn[] {
  if (!(recipe.input instanceof z.ZodObject)) throw new BatchFileError(`recipe ${recipe.id} 的输入不是表格的一行 (its input is not an object, so it takes no batch file)`);
  return Object.entries(recipe.input.shape as Record<string, z.ZodType>).map(([field, schema]) => {
    const inner = unwrapped(schema);
    const meta = { ...metaOf(inner), ...metaOf(schema) };
    return {
      field,
      title: meta.title ?? field,
      description: meta.description ?? inner.description ?? '',
      ...(meta.examples?.length ? { example: String(meta.examples[0]) } : {}),
      required: !schema.safeParse(undefined).success,
      ...(inner instanceof z.ZodEnum ? { choices: inner.options.map(String) } : {}),
      date: isDateSchema(inner),
    };
  });
}

/**
 * What a template's description row says under a column: the description, an example, and
 * whether it may stay empty. The row is skipped when a file still holds it; the example lives
 * in it, not in a row of its own, so no real record that happens to equal it is ever skipped.
 */
export function descriptionLine(column: BatchColumn): string {
  return [column.description, column.example ? `例 e.g. ${column.example}` : '', column.required ? '' : '(可不填 optional)'].filter(Boolean).join('；');
}

/** A header as compared: no spaces, no bracketed note, no trailing colon, one case, half-width. */
function headerKey(header: string): string {
  return header.normalize('NFKC').replace(/[(（][^)）]*[)）]/g, '').replace(/[\s:：*＊]/g, '').toLowerCase();
}

/** Where each column sits in the sheet (0-based), by title or field name. Missing required columns are one clear error. */
export function matchHeaders(headers: string[], columns: BatchColumn[]): Map<string, number> {
  const byKey = new Map<string, number>();
  headers.forEach((header, index) => {
    const key = headerKey(header);
    if (key && !byKey.has(key)) byKey.set(key, index);
  });
  const found = new Map<string, number>();
  for (const column of columns) {
    const index = byKey.get(headerKey(column.title)) ?? byKey.get(headerKey(column.field));
    if (index !== undefined) found.set(column.field, index);
  }
  const missing = columns.filter((column) => column.required && !found.has(column.field));
  if (missing.length > 0) {
    throw new BatchFileError(
      `表头缺少 ${missing.map((column) => `"${column.title}"`).join('、')} (the header row lacks ${missing.map((column) => column.field).join(', ')}): ` +
        'download the template for the headers this recipe needs',
    );
  }
  return found;
}
