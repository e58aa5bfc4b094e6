/**
 * `ferry doctor`: checks what Ferry needs from the machine (Chromium, redis-server,
 * tesseract language data, CJK fonts), the Redis it uses (see `doctor-redis.ts`) and the
 * recipes (see `doctor-recipes.ts`), and says how to fix each missing piece.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FerryConfig } from '../runner/config.ts';
import { recipeChecks } from './doctor-recipes.ts';
import { redisChecks } from './doctor-redis.ts';

const run = promisify(execFile);

/** The result of one check. */
export interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
  /** How to fix it, when not ok. */
  fix?: string;
}

async function versionOf(command: string, args: string[]): Promise<string | null> {
  try {
    const { stdout } = await run(command, args, { timeout: 15_000 });
    return stdout.trim().split('\n')[0];
  } catch {
    return null;
  }
}

export async function runDoctor(config: FerryConfig): Promise<DoctorCheck[]> {
  const chromium = await versionOf(config.chromiumPath, ['--version']);
  const redis = await versionOf('redis-server', ['--version']);
  const fonts = await versionOf('fc-list', [':lang=zh', 'family']);
  const checks: DoctorCheck[] = [
    { name: 'chromium', ok: Boolean(chromium), detail: chromium ?? `not found at ${config.chromiumPath}`, fix: 'apt-get install chromium, or set CHROMIUM_PATH' },
    { name: 'redis-server', ok: Boolean(redis), detail: redis ?? 'not on PATH', fix: 'apt-get install redis-server, or set REDIS_URL to a Redis >= 6.2 with appendfsync always' },
    ...(['eng', 'chi_sim'] as const).map((lang) => {
      const file = join(config.tessdataDir, `${lang}.traineddata`);
      return {
        name: `tesseract ${lang}`, ok: existsSync(file), detail: existsSync(file) ? file : `${file} is missing`,
        fix: `apt-get install tesseract-ocr-${lang.replace('_', '-')}, or set FERRY_TESSDATA_DIR`,
      };
    }),
    { name: 'CJK fonts', ok: Boolean(fonts), detail: fonts || 'no font covers Chinese', fix: 'apt-get install fonts-noto-cjk' },
    ...(await redisChecks(config)),
    ...(await recipeChecks(config)),
  ];
  return checks.map((check) => (check.ok ? { ...check, fix: undefined } : check));
}
