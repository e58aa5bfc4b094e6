/** Where the dashboard may send a browser back to: its own pages only. */

const ORIGIN = 'http://dashboard.invalid';

/**
 * A local path to go back to, never another site. The value is read as a browser would
 * (which drops tabs and newlines and reads a backslash as a slash), must stay on this origin, and comes
 * back re-serialised, so what the browser follows is what was checked.
 */
export function safePath(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.startsWith('/') || value.length > 2000) return undefined;
  let url: URL;
  try {
    url = new URL(value, ORIGIN);
  } catch {
    return undefined;
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  return url.origin === ORIGIN && /^\/(?![/\\])/.test(path) ? path : undefined;
}
