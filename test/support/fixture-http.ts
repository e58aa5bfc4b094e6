/** The fixture systems' test-only HTTP routes: fault knobs, inspection and reset. */
/** Sets fault knobs on a running system through its test-only endpoint. */
export { setFixtureFaults as setFaults } from '../../fixtures/control.ts';

export async function fixtureRecords<T = any>(baseUrl: string): Promise<T> {
  return (await fetch(`${baseUrl}/__fixture/records`)).json() as Promise<T>;
}

/** Empties what a system holds (and its sessions). */
export async function resetSystem(baseUrl: string): Promise<void> {
  await fetch(`${baseUrl}/__fixture/reset`, { method: 'POST' });
}
