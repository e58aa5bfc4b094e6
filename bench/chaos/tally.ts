/**
 * The chaos harness's verdict: the target fixture's rows compared with the input cases
 * and the ledger, record by record.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LedgerEntry } from '../../runner/ledger/ledger.ts';

/** One input case, as the harness knows it. */
export interface ChaosCase {
  /** What the target's rows are grouped by (an ID number, a key id). */
  key: string;
  /** The fixture made it bad on purpose (or its applicant has no valid permit): REJECTED is right. */
  mayBeRejected: boolean;
}

/** The counts `ferry chaos` reports. */
export interface ChaosTally {
  entered: number;
  rejected: number;
  needsReview: number;
  failed: number;
  /** A record with no row that is neither REJECTED nor NEEDS_REVIEW. */
  lost: number;
  /** Records with more than one row in the target. */
  duplicated: number;
  /** Ledger and target disagree: DONE without its row, or a row while the ledger says it is not entered. */
  ledgerMismatches: number;
  /** REJECTED although the fixture made the record good. */
  unexpectedRejections: number;
  /** NEEDS_REVIEW reasons, digits blanked, with their counts. */
  reviewReasons: Record<string, number>;
}

/** Compares each case's rows in the target with its ledger entry. */
export function tallyChaos(cases: ChaosCase[], entries: (LedgerEntry | null)[], rowsByKey: Map<string, { serialNo: string }[]>): ChaosTally {
  const tally: ChaosTally = {
    entered: 0, rejected: 0, needsReview: 0, failed: 0, lost: 0, duplicated: 0, ledgerMismatches: 0, unexpectedRejections: 0, reviewReasons: {},
  };
  for (const [i, record] of cases.entries()) {
    const rows = (rowsByKey.get(record.key) ?? []).map((row) => row.serialNo);
    const entry = entries[i];
    if (rows.length > 1) tally.duplicated++;
    switch (entry?.state) {
      case 'DONE':
        tally.entered++;
        if (!rows.includes(entry.receipt ?? '')) tally.ledgerMismatches++;
        break;
      case 'REJECTED':
        tally.rejected++;
        if (rows.length > 0) tally.ledgerMismatches++;
        if (!record.mayBeRejected) tally.unexpectedRejections++;
        break;
      case 'NEEDS_REVIEW': {
        tally.needsReview++;
        const reason = (entry.reason ?? 'no reason').replace(/\d+/g, '#');
        tally.reviewReasons[reason] = (tally.reviewReasons[reason] ?? 0) + 1;
        break;
      }
      default:
        if (entry?.state === 'FAILED') tally.failed++;
        if (rows.length === 0) tally.lost++;
        else tally.ledgerMismatches++;
    }
  }
  return tally;
}

/** Lines containing `text` in the workers' logs (every `ferry.log` under `dataDir`, one per host). */
export function countInLogs(dataDir: string, text: string): number {
  return readdirSync(dataDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name === 'ferry.log')
    .reduce((sum, entry) => sum + readFileSync(join(entry.parentPath, entry.name), 'utf8').split('\n').filter((line) => line.includes(text)).length, 0);
}
