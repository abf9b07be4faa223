/**
 * The playground's own SDK calls still waiting for their answer, so that a call answered inside
 * this process can be recorded after them. Our trigger calls the embedded engine directly and
 * hears back first: its long poll is answered while the API's SendMessage is still reading its
 * reply. On the wire inspector the API's send comes first, as the lesson tells the flow.
 */
export class CallsInFlight {
  private next = 0;
  private readonly open = new Set<number>();
  private waiting: { after: number; run: () => void }[] = [];

  /** A call begins; hand the ticket to `end` once its record is out. */
  begin(): number {
    this.next += 1;
    this.open.add(this.next);
    return this.next;
  }

  end(ticket: number): void {
    this.open.delete(ticket);
    if (this.waiting.length === 0) return;
    const oldest = this.oldestOpen();
    const ready = this.waiting.filter((w) => w.after < oldest);
    this.waiting = this.waiting.filter((w) => w.after >= oldest);
    for (const w of ready) w.run();
  }

  /** Runs `run` once every call begun so far has ended: at once when none is open. Later calls are not waited for. */
  afterCurrent(run: () => void): void {
    if (this.open.size === 0) return run();
    this.waiting.push({ after: this.next, run });
  }

  private oldestOpen(): number {
    let oldest = Number.POSITIVE_INFINITY;
    for (const ticket of this.open) if (ticket < oldest) oldest = ticket;
    return oldest;
  }
}
