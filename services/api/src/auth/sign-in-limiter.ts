/**
 * Slows password guessing: after `maxFailures` failed sign-ins for one e-mail (or from one
 * address) within the window, further attempts are refused until the window has passed.
 */
export class SignInLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly maxFailures = 5, private readonly windowMs = 15 * 60_000) {}

  /** Milliseconds until the caller may try again; 0 when allowed now. */
  retryAfterMs(keys: string[], now = Date.now()): number {
    let wait = 0;
    for (const key of keys) {
      const recent = this.recent(key, now);
      if (recent.length >= this.maxFailures) wait = Math.max(wait, recent[0] + this.windowMs - now);
    }
    return wait;
  }

  recordFailure(keys: string[], now = Date.now()): void {
    for (const key of keys) this.failures.set(key, [...this.recent(key, now), now]);
  }

  clear(keys: string[]): void {
    keys.forEach((key) => this.failures.delete(key));
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((at) => now - at < this.windowMs);
  }
}
