/**
 * The schema of a form's body: named string fields (and fields whose names match a pattern),
 * each with a maximum length, plus the CSRF token. Fastify checks it before any handler runs, so a hostile body (an object
 * where a string belongs, an array, `null`) is answered 400, never a 500.
 */
export function formBody(fields: Record<string, number>, patterns: Record<string, number> = {}) {
  const properties: Record<string, { type: 'string'; maxLength: number }> = { _csrf: { type: 'string', maxLength: 200 } };
  for (const [name, maxLength] of Object.entries(fields)) properties[name] = { type: 'string', maxLength };
  const patternProperties: Record<string, { type: 'string'; maxLength: number }> = {};
  for (const [pattern, maxLength] of Object.entries(patterns)) patternProperties[pattern] = { type: 'string', maxLength };
  return { type: 'object', properties, patternProperties, additionalProperties: false } as const;
}
