/**
 * The 街道 code list of the entry form, as a recipe's `read` checks a street against it
 * before anything is entered. Code lists change a few times a year (streets merge and are
 * renamed), so the names are read from the form at most every ten minutes per system, read
 * again when a street is missing from them, and forgotten when a save finds the list changed.
 */
import type { Page } from 'playwright-core';
import { openInMain } from './main-frame.ts';

const CACHE_MS = 10 * 60_000;
const cached = new Map<string, { names: string[]; readAt: number }>();

/** Forgets the names read from the system at `baseUrl`: its code list changed under them. */
export function forgetStreetNames(baseUrl: string): void {
  cached.delete(baseUrl);
}

/** `streets`: the names the form's 街道 select offers. */
export class StreetCodeList {
  constructor(private readonly page: Page, private readonly baseUrl: string) {}

  /** True when the code list holds `name`; a miss reads the list again before it answers. */
  async has(name: string): Promise<boolean> {
    return (await this.names()).includes(name) || (await this.names({ fresh: true })).includes(name);
  }

  /** The street names, read from the form (or the copy read in the last ten minutes unless `fresh`). */
  async names(options: { fresh?: boolean } = {}): Promise<string[]> {
    const copy = cached.get(this.baseUrl);
    if (copy && !options.fresh && Date.now() - copy.readAt < CACHE_MS) return copy.names;
    const form = await openInMain(this.page, this.baseUrl, '/cbdj/flexible.jsp');
    const select = form.locator('form[name="mainForm"] select[name="jd"]');
    if ((await select.count()) !== 1) throw new Error('医保 entry form: the 街道 select (name "jd") is not on the form; has the screen changed?');
    // The first option is the empty 请选择.
    const names = (await select.locator('option').evaluateAll((options) => options.filter((option) => (option as HTMLOptionElement).value)
      .map((option) => option.textContent?.trim() ?? '')));
    cached.set(this.baseUrl, { names, readAt: Date.now() });
    return names;
  }
}
