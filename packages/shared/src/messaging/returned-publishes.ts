/**
 * Every publish is mandatory: a message that no queue takes (its queue or binding deleted under the
 * running services) comes back as basic.return, before the broker confirms it. Without this, the
 * confirm alone would report such a message as safely stored while it was dropped.
 *
 * One tracker per publish channel holds the publishes awaiting their confirm. A return carries no
 * delivery tag, so it is matched by exchange, routing key and messageId, oldest first: two publishes
 * alike in all three are routed alike, so whichever of them is marked, both come back.
 */
export class ReturnedPublishes {
  private readonly pending = new Map<string, Array<{ returned: boolean }>>();

  /** Call before publishing; `settle` when the confirm (or the channel's failure) came, which tells whether it came back. */
  track(exchange: string, routingKey: string, messageId: string | undefined): { settle(): boolean } {
    const key = keyOf(exchange, routingKey, messageId);
    const entry = { returned: false };
    const entries = this.pending.get(key) ?? [];
    entries.push(entry);
    this.pending.set(key, entries);
    let settled = false;
    return {
      settle: () => {
        if (!settled) {
          settled = true;
          entries.splice(entries.indexOf(entry), 1);
          if (entries.length === 0 && this.pending.get(key) === entries) this.pending.delete(key);
        }
        return entry.returned;
      },
    };
  }

  /** A basic.return arrived for a message published to this exchange with this routing key and messageId. */
  returned(exchange: string, routingKey: string, messageId: string | undefined): void {
    const entry = this.pending.get(keyOf(exchange, routingKey, messageId))?.find((candidate) => !candidate.returned);
    if (entry) entry.returned = true;
  }
}

function keyOf(exchange: string, routingKey: string, messageId: string | undefined): string {
  return `${exchange}\u0000${routingKey}\u0000${messageId ?? ""}`;
}
