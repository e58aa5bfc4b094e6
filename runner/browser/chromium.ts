/**
 * Launching the machine's Chromium through playwright-core. Ferry never downloads a
 * browser: it uses Debian's `chromium` (or `CHROMIUM_PATH`).
 */
import { chromium, type Browser } from 'playwright-core';

/**
 * The features playwright-core turns off (its `chromiumSwitches.ts`, for the version in
 * package-lock.json). Chromium keeps only the last `--disable-features` switch, so Ferry's
 * own switch must carry these too; a test reads the running browser's command line and
 * fails when a Playwright upgrade adds a name this list lacks.
 */
const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync', 'DestroyProfileOnBrowserClose', 'HttpsUpgrades', 'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay', 'MediaRouter', 'PaintHolding', 'ThirdPartyStoragePartitioning', 'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin', 'OptimizationHints', 'NetworkTimeServiceQuerying', 'AimEnabled', 'PreconnectToSearch',
  'msForceBrowserSignIn', 'msEdgeUpdateLaunchServicesPreferredVersion',
];

/**
 * Features Ferry turns off besides Playwright's. `SpareRendererForSitePerProcess` keeps a
 * renderer process started ahead for the next navigation; with a browser context per bot
 * and lane the spare is for the wrong context and is thrown away, so every navigation
 * started and killed a renderer (about three a record at concurrency 2, a third of
 * Chromium's CPU in `bench throughput`).
 */
const FERRY_DISABLED_FEATURES = ['SpareRendererForSitePerProcess'];

/** Flags that keep Chromium from stalling on a closed network or a root account, and from starting renderers it throws away. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--no-first-run',
  `--disable-features=${[...PLAYWRIGHT_DISABLED_FEATURES, ...FERRY_DISABLED_FEATURES].join(',')}`,
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
