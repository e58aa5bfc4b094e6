/** The fixture systems' test-only HTTP routes: fault knobs, inspection and reset. */
import type { Faults } from '../../fixtures/faults.ts';

/** Sets fault knobs on a running system through its test-only endpoint. */
export async function setFaults(baseUrl: string, faults: Partial<Faults>): Promise<void> {
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

/** Empties what a system holds (and its sessions). */
export async function resetSystem(baseUrl: string): Promise<void> {
  await fetch(`${baseUrl}/__fixture/reset`, { method: 'POST' });
}
