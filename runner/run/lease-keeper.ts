/**
 * A run's hold on its ledger lease. It renews the lease every third of its length, and it
 * fences the run when the lease may have lapsed without this worker hearing of it (Redis
 * unreachable, the host cut off from the network): it closes the run's browser contexts, so
 * nothing the run would do once the link is back (a click, the rest of a form, a request
 * queued in the browser) reaches a target after another runner may have taken the record over.
 * A request already sent is the kernel's to deliver; the next owner waits for it (see
 * `Claim.quietUntil`).
 */
import { RecordBusyError } from '../errors.ts';
import type { Claim, Ledger } from '../ledger/ledger.ts';

/** Keeps one claim's lease for as long as its run goes on; see the file's header. */
export class LeaseKeeper {
  private heldUntil: number;
  private lapsedAt?: number;
  private readonly renewal: NodeJS.Timeout;
  private fence?: NodeJS.Timeout;

  /**
   * `claimedAt` is when the claim was sent (its lease runs from no earlier); `onLapse` closes
   * what the run has open in its browser.
   */
  constructor(private readonly ledger: Ledger, private readonly claim: Claim, claimedAt: number, private readonly onLapse: () => void) {
    this.heldUntil = claimedAt + ledger.leaseMs;
    this.renewal = setInterval(() => void this.renew().catch(() => {}), ledger.leaseMs / 3);
    this.armFence();
  }

  /** True once the fence closed the run's browser: whatever the run does next fails. */
  get lapsed(): boolean {
    return this.lapsedAt !== undefined;
  }

  /**
   * Renews right before `write` and insists the renewal was quick: a runner that was frozen (GC
   * pause, SIGSTOP) or cut off past its lease must not write once another may have taken over.
   * Nothing was submitted yet, so losing the lease is a transient failure, not UNKNOWN.
   */
  async holdForWrite(): Promise<void> {
    const sentAt = Date.now();
    const held = await this.renew();
    if (!held || this.lapsed || Date.now() - sentAt > this.ledger.leaseMs / 2) {
      throw new RecordBusyError(`lost the lease on ${this.claim.recipe}/${this.claim.keyId} before writing`);
    }
  }

  /** The error a run fenced by its lapsed lease ends with, instead of the closed page's. */
  lapseError(): RecordBusyError {
    return new RecordBusyError(`lost the lease on ${this.claim.recipe}/${this.claim.keyId}: no renewal reached Redis in time, so the run's browser was closed`);
  }

  /** Stops renewing and fencing (the run has ended). */
  stop(): void {
    clearInterval(this.renewal);
    clearTimeout(this.fence);
  }

  private async renew(): Promise<boolean> {
    const sentAt = Date.now();
    const held = await this.ledger.renew(this.claim);
    if (held && !this.lapsed) {
      this.heldUntil = Math.max(this.heldUntil, sentAt + this.ledger.leaseMs);
      this.armFence();
    }
    return held;
  }

  /**
   * At the lease's end as this worker knows it, no other runner can have claimed the record yet.
   * A fence that fires late (a busy machine) is covered twice: the run's ledger writes carry a
   * stale token, and the next owner of a record left SUBMITTING waits `quietUntil` before writing.
   */
  private armFence(): void {
    clearTimeout(this.fence);
    const closeAt = this.heldUntil;
    this.fence = setTimeout(() => {
      this.lapsedAt = Date.now();
      clearInterval(this.renewal);
      this.onLapse();
    }, Math.max(0, closeAt - Date.now()));
  }
}
