/** Starts one fixture system alone, for that system's own tests. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { generateApplicants, type Applicant } from '../../fixtures/data/applicants.ts';
import { FaultState, type Faults } from '../../fixtures/faults.ts';
import type { SystemContext } from '../../fixtures/system-context.ts';

export function useSystem(
  create: (context: SystemContext) => Promise<FastifyInstance>,
  options: { applicants?: number; faults?: Partial<Faults>; account: SystemContext['account']; seed?: number },
): () => { url: string; applicants: Applicant[] } {
  let app: FastifyInstance | undefined;
  let started: { url: string; applicants: Applicant[] } | undefined;
  beforeAll(async () => {
    const seed = options.seed ?? 20260301;
    const applicants = generateApplicants({ seed, count: options.applicants ?? 200 });
    app = await create({ applicants, faults: new FaultState(options.faults, seed), account: options.account, seed });
    started = { url: await app.listen({ host: '127.0.0.1', port: 0 }), applicants };
  });
  afterAll(async () => {
    await app?.close();
  });
  return () => {
    if (!started) throw new Error('system not started');
    return started;
  };
}
