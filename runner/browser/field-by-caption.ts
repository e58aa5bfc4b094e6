/**
 * `fieldByCaption`: the input of a form whose captions are not linked to their inputs, a
 * layout older systems are full of: `<td>姓名：</td><td><input name="xm"></td>`, with no
 * `<label for>`, so `getByLabel` finds nothing.
 */
import type { Frame, Locator, Page } from 'playwright-core';

/** A string as an XPath 1.0 literal. */
function xpathLiteral(text: string): string {
  if (!text.includes("'")) return `'${text}'`;
  if (!text.includes('"')) return `"${text}"`;
  return `concat(${text.split("'").map((part) => `'${part}'`).join(`, "'", `)})`;
}

/**
 * The input, select or textarea in the table cell right after the cell (`<td>` or `<th>`)
 * whose text is `caption`, optionally followed by a colon (`:` or `：`); spaces around it,
 * full-width ones included, are ignored. Scope it (a form, a fieldset, a frame) when a page
 * shows the same caption twice: a locator matching several fields fails as a recipe bug.
 */
export function fieldByCaption(scope: Page | Frame | Locator, caption: string): Locator {
  // Spaces (U+3000 and U+00A0 too) are dropped, so `姓 名：` and `姓名 ：` read as `姓名：`.
  const text = "translate(normalize-space(.), ' \u3000\u00a0', '')";
  const bare = caption.replace(/[\s\u3000\u00a0]/g, '');
  const captions = [bare, `${bare}:`, `${bare}：`].map((variant) => `${text}=${xpathLiteral(variant)}`).join(' or ');
  const field = "*[self::input[not(@type='hidden')] or self::select or self::textarea]";
  // Captions sit in unlabelled table cells, so only an XPath over the cells finds the input beside one.
  return scope.locator(`xpath=.//*[self::td or self::th][${captions}]/following-sibling::td[1]//${field}`);
}
