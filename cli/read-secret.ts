/**
 * Reading a secret from standard input: the first line of a pipe, or what is typed at a
 * terminal with nothing echoed (raw mode; Backspace works, Ctrl-C cancels).
 */
import { createInterface } from 'node:readline/promises';
import { InputError } from '../runner/errors.ts';

async function firstLine(): Promise<string> {
  const lines = createInterface({ input: process.stdin, terminal: false });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  throw new InputError('No password on standard input.');
}

function typedHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  stdin.setRawMode(true);
  process.stderr.write(prompt);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (settle: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      settle();
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish(() => resolve(typed));
        if (char === '\u0003' || (char === '\u0004' && !typed)) return finish(() => reject(new InputError('Cancelled; nothing was stored.')));
        if (char === '\u007f' || char === '\b') typed = [...typed].slice(0, -1).join('');
        else if (char >= ' ') typed += char;
      }
    };
    stdin.on('data', onData);
  });
}

/** Shows `prompt` on stderr and reads one line of standard input; on a terminal, without echo (the prompt shows once echo is off). */
export function readSecret(prompt: string): Promise<string> {
  if (process.stdin.isTTY) return typedHidden(prompt);
  process.stderr.write(prompt);
  return firstLine();
}
