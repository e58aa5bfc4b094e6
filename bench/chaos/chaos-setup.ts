/** The environment the chaos harness gives itself and its worker processes. */
import type { SystemName } from '../../fixtures/start.ts';
import { botUrlEnvOf } from '../../fixtures/wiring.ts';

/** What {@link chaosEnv} needs. */
export interface ChaosEnvInput {
  dataDir: string;
  redisUrl: string;
  urls: Record<SystemName, string>;
  secretKey: string;
  chromiumPath: string;
  tessdataDir: string;
}

/** Short locks so a killed worker's runs come back within seconds; many attempts for a busy target. */
export function chaosEnv(input: ChaosEnvInput): Record<string, string> {
  return {
    REDIS_URL: input.redisUrl,
    FERRY_DATA_DIR: input.dataDir,
    FERRY_NAMESPACE: 'chaos',
    FERRY_SECRET_KEY: input.secretKey,
    CHROMIUM_PATH: input.chromiumPath,
    FERRY_TESSDATA_DIR: input.tessdataDir,
    FERRY_CONCURRENCY: '2',
    FERRY_ATTEMPTS: '12',
    FERRY_LOCK_MS: '8000',
    ...botUrlEnvOf(input.urls),
  };
}
