/**
 * Code a Ferry tool generates, checked as an author would: written into the repository (so it
 * resolves `playwright-core` and Ferry as a bot does), type-checked with the project's own
 * compiler settings, and imported. `test/.generated/` is ignored by git and by `tsc -p`.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { afterAll } from 'vitest';

const REPO = join(import.meta.dirname, '..', '..');
const GENERATED = join(REPO, 'test', '.generated');

/** A scratch folder inside the repository, removed after the file's tests. */
export function useGeneratedDir(): () => string {
  mkdirSync(GENERATED, { recursive: true });
  const dir = mkdtempSync(join(GENERATED, 'run-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return () => dir;
}

/** How a file in `dir` imports Ferry's public entry, as `ferry inspect --import` takes it. */
export function ferryImportFrom(dir: string): string {
  return relative(dir, join(REPO, 'runner', 'index.ts'));
}

/** The type errors of `files` under the project's compiler options, one line each; [] when they compile. */
export function typeErrorsOf(files: string[]): string[] {
  const { config } = ts.readConfigFile(join(REPO, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, REPO);
  const program = ts.createProgram(files, options);
  return ts.getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file && files.includes(diagnostic.file.fileName))
    .map((diagnostic) => `${relative(dirname(files[0]), diagnostic.file!.fileName)}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`);
}
