/**
 * A small check of what a recipe file default-exports, so a file that exports the wrong
 * thing is reported as broken at load time instead of failing its first run.
 */

const isFunction = (value: unknown) => typeof value === 'function';
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** Why `value` is not a valid recipe for the file named `<id>.ts`, or null when it is. */
export function recipeProblem(value: unknown, id: string): string | null {
  if (!isObject(value)) return `must default-export a recipe (defineRecipe({ id: "${id}", ... })), not ${value === null ? 'null' : typeof value}`;
  if (value.id !== id) return `must default-export a recipe with id "${id}" (its file name), not ${JSON.stringify(value.id)}`;
  if (typeof value.title !== 'string' || !value.title) return 'has no title';
  if (!isObject(value.bots) || Object.keys(value.bots).length === 0) return 'has no bots';
  const notBot = Object.entries(value.bots).find(([, bot]) => !isObject(bot) || typeof bot.id !== 'string' || !(bot.login === 'none' || isObject(bot.login)) || !isFunction(bot.pages));
  if (notBot) return `bots.${notBot[0]} is not a bot (defineBot)`;
  if (typeof value.target !== 'string' || !(value.target in value.bots)) return `target ${JSON.stringify(value.target)} is not one of its bots`;
  if (!isObject(value.input) || !isFunction(value.input.safeParse)) return 'input is not a zod schema';
  if (typeof value.manualMinutes !== 'number') return 'manualMinutes is not a number';
  const missing = ['key', 'read', 'find', 'write'].filter((step) => !isFunction(value[step]));
  if (missing.length > 0) return `is missing ${missing.join(', ')}`;
  return null;
}
