/**
 * What one ingress process knows about the spool, shared by the webhook routes and the relay.
 *
 * Order: while the spool may hold rows, a new webhook is spooled too, so it cannot overtake the
 * older ones on their way to RabbitMQ. The spool counts as empty only once the relay counted
 * zero rows and no insert started or committed since it began counting. Until the relay first
 * counted, the spool is assumed to hold rows (a crashed replica may have left some).
 */
export class SpoolState {
  private holdsRows = true;
  private inserting = 0;
  private commits = 0;
  private lastReachable = false;
  /** Outcomes of the publishes that were still unconfirmed when their webhook went to the spool, by message id. */
  private readonly originals = new Map<string, { confirmed: Promise<boolean>; since: number }>();

  /**
   * True while a new webhook must go to the spool to keep the order. Not while the spool is
   * unreachable: its rows wait either way, and RabbitMQ can still take new webhooks.
   */
  get mustSpool(): boolean {
    return this.inserting > 0 || (this.holdsRows && this.lastReachable);
  }

  /** Whether the last spool operation reached the database. */
  get reachable(): boolean {
    return this.lastReachable;
  }

  noteReachable(reachable: boolean): void {
    this.lastReachable = reachable;
  }

  beginInsert(): void {
    this.inserting += 1;
  }

  endInsert(committed: boolean): void {
    if (committed) {
      this.holdsRows = true;
      this.commits += 1;
    }
    this.inserting -= 1;
  }

  /** Taken before counting the rows; see markEmptyIf. */
  snapshot(): number {
    return this.commits;
  }

  /** Whether no insert started or committed since the snapshot: a count made meanwhile is still true. */
  unchangedSince(snapshot: number): boolean {
    return this.inserting === 0 && this.commits === snapshot;
  }

  /** The relay counted zero rows; returns whether the spool now counts as empty (it may still hold rows from inserts since). */
  markEmptyIf(snapshot: number): boolean {
    if (this.unchangedSince(snapshot)) this.holdsRows = false;
    return !this.holdsRows;
  }

  markHoldsRows(): void {
    this.holdsRows = true;
  }

  /**
   * A webhook goes to the spool while its publish is still under way: the relay waits for that
   * outcome and publishes the row only when the publish failed. Noted before the insert, so the
   * relay cannot meet the row first.
   */
  rememberOriginal(messageId: string, confirmed: Promise<boolean>, now = Date.now()): void {
    this.originals.set(messageId, { confirmed, since: now });
  }

  takeOriginal(messageId: string): Promise<boolean> | undefined {
    const original = this.originals.get(messageId);
    this.originals.delete(messageId);
    return original?.confirmed;
  }

  /** The insert failed: no row will ask for this outcome. */
  forgetOriginal(messageId: string): void {
    this.originals.delete(messageId);
  }

  /** Forgets outcomes noted before the cutoff: their rows were relayed by another replica, or never committed. */
  forgetOriginalsBefore(cutoff: number): void {
    for (const [id, { since }] of this.originals) if (since < cutoff) this.originals.delete(id);
  }
}
