/**
 * A net under every test file (vitest `setupFiles`): once the file's own teardown has run, any
 * process it started that is still alive is killed. A test that times out never reaches its
 * `finally`, and would otherwise leave a worker, frozen or not, running for good.
 */
import { afterAll } from 'vitest';
import { descendantsOf } from './processes.ts';

afterAll(() => {
  for (const pid of descendantsOf(process.pid).reverse()) {
    try {
      process.kill(pid, 'SIGCONT');
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
});
