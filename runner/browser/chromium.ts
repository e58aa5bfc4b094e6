/**
 * Launching the machine's Chromium through playwright-core. Ferry never downloads a
 * browser: it uses Debian's `chromium` (or `CHROMIUM_PATH`).
 */
import { chromium, type Browser } from 'playwright-core';

/** Flags that keep Chromium from stalling on a closed network or a root account. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--no-first-run',
];

/** Raised when Chromium cannot be started; names the path and how to fix it. */
export class ChromiumLaunchError extends Error {
  constructor(executablePath: string, cause: unknown) {
    super(
      `Chromium could not start from ${executablePath}: ${(cause as Error).message?.split('\n')[0]}. ` +
        'Install it with `apt-get install chromium` or set CHROMIUM_PATH.',
      { cause },
    );
    this.name = 'ChromiumLaunchError';
  }
}

/**
 * Launches a headless Chromium from `executablePath`. Playwright's own signal handling is
 * off, so a SIGINT or SIGTERM reaches Ferry, which lets the runs in flight finish before it
 * closes the browser. Chromium runs in its own process group (Playwright's default), so a
 * terminal's Ctrl-C does not reach it either, and Playwright kills it when the process exits.
 */
export async function launchChromium(executablePath: string): Promise<Browser> {
  try {
    return await chromium.launch({
      executablePath, headless: true, args: CHROMIUM_ARGS, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
    });
  } catch (error) {
    throw new ChromiumLaunchError(executablePath, error);
  }
}
