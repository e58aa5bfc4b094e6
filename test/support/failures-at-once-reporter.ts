/**
 * A vitest reporter that prints each failure the moment it happens, on stderr, beside the
 * default reporter (which prints the details only when the whole suite ends). A CI run that is
 * stopped, killed or timed out part way then still shows why its tests failed.
 */
import type { Reporter, TestCase, TestModule } from 'vitest/node';

type ReportedError = { message?: string; diff?: string; stack?: string };

function describeErrors(errors: readonly ReportedError[]): string {
  return errors.map((error) => [error.message, error.diff, error.stack?.split('\n').slice(0, 12).join('\n')].filter(Boolean).join('\n')).join('\n---\n');
}

export default class FailuresAtOnceReporter implements Reporter {
  onTestCaseResult(testCase: TestCase): void {
    const result = testCase.result();
    if (result.state !== 'failed') return;
    process.stderr.write(`\n[failed now] ${testCase.module.relativeModuleId} > ${testCase.fullName}\n${describeErrors(result.errors)}\n\n`);
  }

  onTestModuleEnd(testModule: TestModule): void {
    // Errors outside any test: a hook, an import.
    const errors = testModule.errors();
    if (errors.length > 0) process.stderr.write(`\n[failed now] ${testModule.relativeModuleId} (outside its tests)\n${describeErrors(errors)}\n\n`);
  }
}
