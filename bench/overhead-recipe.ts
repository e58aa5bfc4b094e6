/**
 * The overhead benchmark's recipe and bot: steps that do nothing, on an about:blank
 * page, so a run costs only Ferry's machinery (ledger, history, stats, logging, the
 * trace chunk). They live here, not in `recipes/` or `bots/`, so no worker loads them.
 */
import { z } from 'zod';
import { defineBot } from '../runner/define/bot.ts';
import { defineRecipe } from '../runner/define/recipe.ts';

/** A bot whose "system" is about:blank, open to all: no log-in. */
export const blankBot = defineBot({
  id: 'bench-blank',
  title: 'about:blank',
  maxSessions: 1,
  login: 'none',
  isLoggedOut: () => false,
  pages: () => ({}),
});

/** A recipe whose steps return at once. */
export const noOpRecipe = defineRecipe({
  id: 'bench-no-op',
  title: 'no-op',
  bots: { blank: blankBot },
  target: 'blank',
  input: z.object({ caseNo: z.string() }),
  key: (input) => input.caseNo,
  manualMinutes: 0,
  read: async ({ input }) => input,
  find: async () => null,
  write: async ({ record }) => `R-${record.caseNo}`,
  verify: async () => {},
});
