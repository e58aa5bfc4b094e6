/** A system counts as reachable when it answers at all, also over HTTPS with a self-signed certificate. */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useHousingFund } from '../fixtures/housing-fund/test-helpers.ts';
import { Reachability } from './reachability.ts';

const housingFund = useHousingFund();

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('Reachability', () => {
  it('counts the housing-fund system (HTTPS, self-signed, behind Basic auth) as reachable', async () => {
    expect(await new Reachability({ 'housing-fund': housingFund().url }).of('housing-fund')).toBe(true);
  });

  it('counts a refused connection as unreachable, and a bot without an address as unchecked', async () => {
    const reach = new Reachability({ gone: `https://127.0.0.1:${await closedPort()}` });
    expect(await reach.of('gone')).toBe(false);
    expect(await reach.of('unknown')).toBeNull();
  });
});
