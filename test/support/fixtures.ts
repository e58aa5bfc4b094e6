/** Starts the fixture systems for a test file and stops them after. */
import { afterAll, beforeAll } from 'vitest';
import { startFixtures, type FixtureOptions, type RunningFixtures } from '../../fixtures/start.ts';

export function useFixtures(options: FixtureOptions = {}): () => RunningFixtures {
  let running: RunningFixtures | undefined;
  beforeAll(async () => {
    running = await startFixtures({ applicants: 200, ...options });
  });
  afterAll(async () => {
    await running?.stop();
  });
  return () => {
    if (!running) throw new Error('fixtures not started');
    return running;
  };
}

/** Sets fault knobs on a running system through its test-only endpoint. */
export async function setFaults(baseUrl: string, faults: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${baseUrl}/__fixture/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  if (!response.ok) throw new Error(`setting faults failed: ${await response.text()}`);
}

export async function fixtureRecords<T = any>(baseUrl: string): Promise<T> {
  return (await fetch(`${baseUrl}/__fixture/records`)).json() as Promise<T>;
}
