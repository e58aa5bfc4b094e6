/** A CLI command's runtime: opened for the command and closed after it, also when it throws. */
import { config } from '../runner/config.ts';
import { openRuntime, type Runtime } from '../runner/runtime.ts';
import { note } from './output.ts';

export async function withRuntime<T>(act: (runtime: Runtime) => Promise<T>): Promise<T> {
  const runtime = await openRuntime(config(), { role: 'cli', onRedisNotice: note });
  try {
    return await act(runtime);
  } finally {
    await runtime.close();
  }
}
