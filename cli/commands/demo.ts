/**
 * `ferry demo [--records N] [--once] [--json] [--dashboard-port N] [--unreadable SHARE] [--auto-answer]`: the whole of Ferry on the
 * embedded default. Ctrl-C stops it the way every long-running command stops (../shutdown.ts),
 * also during its batch. A second demo on a live data dir exits 2 naming the first one's pid.
 */
import type { Command } from 'commander';
import { config } from '../../runner/config.ts';
import { DEMO_NAMESPACE, DEMO_RECIPE, DemoStoppedError, runDemo, type DemoDashboard } from '../demo.ts';
import { note, printJson, say } from '../output.ts';
import { startProgress, type ProgressBar } from '../progress-bar.ts';
import { runUntilStopped } from '../shutdown.ts';

/** How to look at what the demo did, once it has stopped or from another terminal. */
const STATUS_HINT = `See what it did: FERRY_NAMESPACE=${DEMO_NAMESPACE} npm run -s ferry -- status (the demo keeps its own namespace).`;

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('embedded Redis + fixture systems + worker; moves a batch of cases and prints a summary')
    .option('--records <n>', 'cases to move', '100')
    .option('--once', 'exit after the summary instead of running until Ctrl-C')
    .option('--json', 'last stdout line is the summary as JSON')
    .option('--dashboard-port <n>', 'port of the dashboard (any free one when taken)', '8080')
    .option('--unreadable <share>', 'share (0 to 1) of permit number images drawn blank, so those runs ask a person', '0')
    .option('--auto-answer', 'answer each question as the clerk would, instead of leaving it in the inbox')
    .action(async (options) => {
      const records = Number(options.records);
      if (!Number.isInteger(records) || records < 1) throw new Error(`--records must be a positive whole number, not "${options.records}"`);
      const unreadable = Number(options.unreadable);
      if (!(unreadable >= 0 && unreadable <= 1)) throw new Error(`--unreadable must be a share from 0 to 1, not "${options.unreadable}"`);
      await runUntilStopped({ graceMs: config().stopGraceMs }, async (lifetime) => {
        note(`ferry demo: moving ${records} cases acceptance → medical-insurance…`);
        const announce = (dashboard: DemoDashboard) => {
          if (options.json) return printJson(dashboard);
          say(false, `Dashboard: ${dashboard.dashboard}`);
          for (const [role, login] of Object.entries(dashboard.users)) say(false, `  ${role.padEnd(6)} ${login.user.padEnd(11)} password ${login.password}`);
        };
        let bar: ProgressBar | undefined;
        const demo = await runDemo(config(), records, (done, total) => {
          bar ??= startProgress(total, 'runs settled');
          bar.update(done);
        }, {
          dashboardPort: Number(options.dashboardPort), onDashboard: announce, stopping: lifetime.stopping, forced: lifetime.forced,
          unreadable, autoAnswer: Boolean(options.autoAnswer),
        }).catch((error) => {
          if (!(error instanceof DemoStoppedError)) throw error;
          bar?.stop();
          note(`ferry demo stopped before its batch finished; the runs in flight finished, the rest stay queued. ${STATUS_HINT}`);
        }).finally(() => bar?.stop());
        if (!demo) return;
        lifetime.defer(() => demo.stop());
        const { summary } = demo;
        const { clerk } = summary;
        say(options.json, `Clerk at the window: case ${clerk.caseNo} → ${clerk.outcome.state} ${clerk.outcome.receipt ?? clerk.outcome.reason ?? ''} in ${clerk.seconds}s, ahead of ${clerk.queuedBehind} queued batch runs`);
        say(options.json, `Moved ${summary.records} cases in ${summary.seconds}s (${summary.recordsPerSecond} runs/s with the housing-fund openings): ${summary.entered} entered, ${summary.alreadyPresent} already present, ${summary.rejected} rejected (bad data), ${summary.failed} failed.`);
        if (summary.asked) say(options.json, `Asked a person ${summary.asked} times (unreadable permit numbers): ${summary.waiting ? `${summary.waiting} still wait in the dashboard's inbox (/tasks)` : 'all answered'}.`);
        say(options.json, `Medical-insurance now holds ${summary.targetRows} rows, ${summary.duplicateRows} duplicated.`);
        const fund = summary.housingFund;
        say(options.json, `Housing fund: ${fund.records} applicants from outside the city, ${fund.opened} accounts opened, ${fund.rejected} rejected, ${fund.failed} failed; it holds ${fund.accounts} accounts, ${fund.duplicateAccounts} duplicated.`);
        for (const [name, url] of Object.entries(demo.fixtures.urls)) say(options.json, `  ${name.padEnd(18)} ${url}`);
        say(options.json, `Dashboard: ${demo.dashboard.dashboard} (log in as ${demo.dashboard.users.staff.user}, ${demo.dashboard.users.ops.user} or ${demo.dashboard.users.admin.user}; passwords above)`);
        say(options.json, STATUS_HINT);
        say(options.json, `Try a batch from a spreadsheet (while the demo runs): FERRY_NAMESPACE=${DEMO_NAMESPACE} npm run -s ferry -- batch ${DEMO_RECIPE} ${demo.sampleWorkbook} --wait --json`);
        if (options.json) printJson(summary);
        if (!options.once) {
          say(options.json, 'Running; Ctrl-C stops.');
          await lifetime.untilStopped();
        }
      });
    });
}
