/**
 * `ferry tasks [--json]`: the open questions runs (and syncs, about a whole batch) put to
 * people (the CLI is a local operator, so it sees them all); `ferry tasks image <id> <file.png>`
 * saves a task's image; `ferry tasks answer <id> --value V` answers one, as the dashboard does:
 * checked, stored once, audited as the OS user, and the run (or sync) goes on.
 */
import { writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { auditLogOf } from '../../runner/access/audit.ts';
import { questionOfTask } from '../../runner/ask/asker.ts';
import { taskDeskOf, TaskAnswerError } from '../../runner/ask/task-desk.ts';
import type { Task } from '../../runner/ask/task-store.ts';
import { InputError } from '../../runner/errors.ts';
import { triggeredBy } from '../../runner/run/types.ts';
import type { Runtime } from '../../runner/runtime.ts';
import { printJson } from '../output.ts';
import { withRuntime } from '../with-runtime.ts';

/** A task with its question's prompt and what it offers, for a person at the terminal. */
async function describe(runtime: Runtime, task: Task) {
  const question = questionOfTask(runtime.recipes, task);
  const { choices, detail } = await runtime.tasks.details(task);
  return {
    id: task.id, recipe: task.recipe, ...(task.sync ? { sync: task.run, day: task.sync.day } : { run: task.run, key: task.keyId }),
    question: task.question, kind: task.kind,
    prompt: question?.prompt, assignee: task.assignee, escalated: task.escalated, image: task.hasImage,
    askedAt: new Date(task.createdAt).toISOString(), expiresAt: new Date(task.expireAt).toISOString(),
    ...(choices ? { choices } : {}), ...(detail ? { detail } : {}),
  };
}

export function registerTasks(program: Command): void {
  const tasks = program
    .command('tasks')
    .description('questions runs are waiting on a person to answer')
    .option('--json', 'print JSON')
    .action(async (options) => withRuntime(async (runtime) => {
      const open = await Promise.all((await runtime.tasks.listOpen()).map((task) => describe(runtime, task)));
      if (options.json) return printJson(open);
      if (open.length === 0) return void process.stdout.write('No open questions.\n');
      for (const task of open) {
        const offered = task.choices ? `  choices: ${task.choices.map((choice) => `${choice.value} (${choice.label})`).join(', ')}` : '';
        process.stdout.write([
          `${task.id}${task.escalated ? '  [escalated to ops]' : ''}`,
          ...('sync' in task ? [`  sync ${task.recipe} ${task.day}: the answer sends the whole sync on`] : []),
          `  ${task.prompt?.en ?? task.question} / ${task.prompt?.zh ?? ''}`,
          `  asked ${task.askedAt} of ${task.assignee}; rejected unanswered at ${task.expiresAt}${task.image ? '; has an image (ferry tasks image)' : ''}`,
          ...(task.detail ? [`  ${task.detail}`] : []), ...(offered ? [offered] : []), '',
        ].join('\n'));
      }
    }));

  tasks
    .command('image <id> <file>')
    .description('save the image a question shows (PNG)')
    .action(async (id: string, file: string) => withRuntime(async (runtime) => {
      const image = (await runtime.tasks.get(id))?.hasImage ? await runtime.tasks.image(id) : null;
      if (!image) throw new InputError(`Task "${id}" has no image.`);
      await writeFile(file, image, { mode: 0o600 });
    }));

  tasks
    .command('answer <id>')
    .description('answer a question; the run goes on with the answer')
    .requiredOption('--value <value>', 'the answer: the value, one of the choices, or yes/no')
    .action(async (id: string, options) => withRuntime(async (runtime) => {
      const osUser = userInfo().username;
      const desk = taskDeskOf(runtime, auditLogOf(runtime));
      try {
        const run = await desk.answer(id, String(options.value), { name: `cli:${osUser}`, identity: triggeredBy.cli(osUser), ops: true });
        printJson({ task: id, answered: true, run });
      } catch (error) {
        if (error instanceof TaskAnswerError) throw new InputError(error.message);
        throw error;
      }
    }));
}
