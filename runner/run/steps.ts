/**
 * Running one recipe step against the run's lanes (every lane the run has taken, not only
 * the one the step is for): afterwards, an unexpected dialog on any of their pages, popups
 * included, fails the step, and a step that failed because a system logged its bot out
 * becomes a LanesLoggedOutError naming the lanes, and so the bots, to log in again.
 */
import type { Lane } from '../browser/session-pool.ts';
import { clearContextDialogExpectations, takeContextUnexpectedDialog } from '../browser/dialogs.ts';
import { SessionExpiredError } from '../errors.ts';
import { PersonNeededError } from '../ask/question.ts';

/** A SessionExpiredError that knows which lanes (and so which bots) were logged out. */
export class LanesLoggedOutError extends SessionExpiredError {
  constructor(readonly lanes: Lane[], options?: ErrorOptions) {
    super(`logged out of ${lanes.map((lane) => `${lane.bot.id} (${lane.holder})`).join(', ') || 'a system no lane was open for'}`, {
      ...options, bot: lanes[0]?.bot.id,
    });
  }
}

/** How long a bot's logged-out check may read the page before it counts as "logged in". */
const LOGGED_OUT_CHECK_MS = 5000;

/** True when the lane's system shows it logged the bot out; a check that fails or hangs (a page mid-navigation) counts as logged in. */
async function isLoggedOut(lane: Lane): Promise<boolean> {
  if (lane.page.isClosed()) return false;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), LOGGED_OUT_CHECK_MS)));
  try {
    return await Promise.race([Promise.resolve(lane.bot.isLoggedOut(lane.page)), late]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** The lanes to log in again after `error`: the bot it names, and any whose page shows a logout. */
async function loggedOutLanes(lanes: Lane[], error: unknown): Promise<Lane[] | null> {
  const shown = await Promise.all(lanes.map(isLoggedOut));
  const named = (error as Error)?.name === 'SessionExpiredError' ? (error as SessionExpiredError).bot : undefined;
  const out = lanes.filter((lane, i) => shown[i] || (named !== undefined && lane.bot.id === named));
  if (out.length > 0) return out;
  // A SessionExpiredError that names no lane of this run (thrown outside any page object): every lane is suspect.
  return (error as Error)?.name === 'SessionExpiredError' ? [...lanes] : null;
}

/** Throws the first unexpected dialog on any page of the lanes' contexts: the bots' own pages and any popup a step opened. */
function throwUnexpectedDialog(lanes: Lane[]): void {
  for (const lane of lanes) clearContextDialogExpectations(lane.context);
  for (const lane of lanes) {
    const dialog = takeContextUnexpectedDialog(lane.context);
    if (dialog) throw dialog;
  }
}

/** Runs `step`, then checks the pages of `lanes` (the run's lanes, read when the step ends) for unexpected dialogs and logouts. */
export async function runStep<T>(lanes: Lane[], step: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await step();
  } catch (error) {
    throwUnexpectedDialog(lanes);
    // A question for a person is not a failure: no page is to blame.
    if (error instanceof PersonNeededError) throw error;
    const loggedOut = await loggedOutLanes(lanes, error);
    if (loggedOut) throw new LanesLoggedOutError(loggedOut, { cause: error });
    throw error;
  }
  throwUnexpectedDialog(lanes);
  return result;
}
