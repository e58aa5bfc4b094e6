/**
 * Running one recipe step against the run's lanes: afterwards, an unexpected dialog
 * fails the step, and a step that failed on a logged-out page becomes a
 * SessionExpiredError naming the lanes to log in again.
 */
import type { Lane } from '../browser/session-pool.ts';
import { clearDialogExpectations, takeUnexpectedDialog } from '../browser/dialogs.ts';
import { SessionExpiredError } from '../errors.ts';

/** A SessionExpiredError that knows which lanes were logged out. */
export class LanesLoggedOutError extends SessionExpiredError {
  constructor(readonly lanes: Lane[], options?: ErrorOptions) {
    super(`logged out of ${lanes.map((lane) => lane.bot.id).join(', ')}`, options);
  }
}

function loggedOutLanes(lanes: Lane[]): Lane[] {
  return lanes.filter((lane) => !lane.page.isClosed() && lane.bot.isLoggedOut(lane.page));
}

/** Runs `step`, then checks the lanes' pages for unexpected dialogs and logouts. */
export async function runStep<T>(lanes: Lane[], step: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await step();
  } catch (error) {
    for (const lane of lanes) clearDialogExpectations(lane.page);
    for (const lane of lanes) {
      const dialog = takeUnexpectedDialog(lane.page);
      if (dialog) throw dialog;
    }
    const loggedOut = loggedOutLanes(lanes);
    if (loggedOut.length > 0 || (error as Error).name === 'SessionExpiredError') {
      throw new LanesLoggedOutError(loggedOut.length > 0 ? loggedOut : lanes, { cause: error });
    }
    throw error;
  }
  for (const lane of lanes) {
    clearDialogExpectations(lane.page);
    const dialog = takeUnexpectedDialog(lane.page);
    if (dialog) throw dialog;
  }
  return result;
}
