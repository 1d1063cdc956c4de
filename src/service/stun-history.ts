import type { StunBindingObservation } from '../core/observation.js';

/**
 * Recent STUN Binding requests. They carry no session (a plain STUN request cannot), so the
 * service keeps the last ones and ties them to a report by the srflx address:port the
 * browser reports (`matchStunObservations`). Bounded by count and age.
 */
export class StunHistory {
  readonly #entries: StunBindingObservation[] = [];
  readonly #max: number;
  readonly #maxAgeMs: number;
  readonly #now: () => number;

  constructor(options: { max?: number; maxAgeMs?: number; now?: () => number } = {}) {
    this.#max = options.max ?? 8192;
    this.#maxAgeMs = options.maxAgeMs ?? 120_000;
    this.#now = options.now ?? Date.now;
  }

  add(observation: StunBindingObservation): void {
    this.#entries.push(observation);
    if (this.#entries.length > this.#max) this.#entries.splice(0, this.#entries.length - this.#max);
  }

  /** Observations since `since` (ms epoch), oldest first; expired ones are dropped on the way. */
  since(since: number): StunBindingObservation[] {
    const horizon = this.#now() - this.#maxAgeMs;
    let drop = 0;
    while (drop < this.#entries.length && this.#entries[drop]!.time < horizon) drop++;
    if (drop > 0) this.#entries.splice(0, drop);
    return this.#entries.filter((o) => o.time >= since);
  }
}
