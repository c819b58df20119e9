import type { IncomingMessage } from 'node:http';
import { PORTAL_CLIENT_ADDRESS_HEADER, readPortalClientAddress } from '@bonescan/config';
import type { DataSource } from 'typeorm';

/** How failures of one key slow the next attempt: free failures, then a wait that doubles with each further one. */
export interface BackOff {
  freeFailures: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

/** A mistyped password or two costs nothing; a guesser waits 5 s, 10 s, 20 s … up to 15 minutes per account. */
export const ACCOUNT_BACK_OFF: BackOff = { freeFailures: 3, firstDelayMs: 5_000, maxDelayMs: 15 * 60_000 };
/** Many readers may sign in from one hospital address (a NAT, the portal itself): it gets far more room. */
export const ADDRESS_BACK_OFF: BackOff = { freeFailures: 30, firstDelayMs: 5_000, maxDelayMs: 15 * 60_000 };

/** Failures older than this no longer count: a quiet hour starts an account afresh. */
const FORGET_AFTER = '1 hour';

/**
 * The caller's address for sign-in limits: the browser's, as the portal states it in a signed header, else the
 * socket's peer. X-Forwarded-For is never read: anyone can send it.
 */
export function signInAddress(req: IncomingMessage, sessionSecret: string): string {
  return portalStatedAddress(req, sessionSecret) ?? req.socket.remoteAddress ?? 'unknown';
}

/** The browser's address when the request carries the portal's signed, fresh statement of it; undefined otherwise. */
export function portalStatedAddress(req: IncomingMessage, sessionSecret: string): string | undefined {
  const statement = req.headers[PORTAL_CLIENT_ADDRESS_HEADER];
  return readPortalClientAddress(sessionSecret, typeof statement === 'string' ? statement : undefined);
}

/**
 * Slows password guessing, per account and per client address, in PostgreSQL so that parallel guesses and several
 * API processes share one count. Each attempt is counted as a failure before the password is checked, in the same
 * statement that checks the key is not waiting: two guesses cannot both slip through on one stale count.
 */
export class SignInLimiter {
  constructor(private readonly dataSource: DataSource) {}

  /** Counts an attempt under `key`; the milliseconds it must wait instead when the key is backing off (0: go ahead). */
  async admit(key: string, backOff: BackOff): Promise<number> {
    const delay = (failures: string) =>
      `CASE WHEN ${failures} > $2 THEN least($4::float8, $3::float8 * power(2, ${failures} - $2 - 1)) ELSE 0 END * interval '1 millisecond'`;
    const counted: unknown[] = await this.dataSource.query(
      `INSERT INTO sign_in_throttle AS t (key, failures, blocked_until) VALUES ($1, 1, now() + ${delay('1')})
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN t.last_attempt_at < now() - interval '${FORGET_AFTER}' THEN 1 ELSE t.failures + 1 END,
         blocked_until = now() + ${delay(`CASE WHEN t.last_attempt_at < now() - interval '${FORGET_AFTER}' THEN 1 ELSE t.failures + 1 END`)},
         last_attempt_at = now()
       WHERE t.blocked_until <= now()
       RETURNING 1`,
      [key, backOff.freeFailures, backOff.firstDelayMs, backOff.maxDelayMs],
    );
    if (counted.length > 0) return 0;
    const [row]: Array<{ wait_ms: number }> = await this.dataSource.query(
      `SELECT greatest(1, ceil(extract(epoch FROM blocked_until - clock_timestamp()) * 1000))::float8 AS wait_ms FROM sign_in_throttle WHERE key = $1`,
      [key],
    );
    return row?.wait_ms ?? 1;
  }

  /** A correct password ends the account's back-off. */
  async clear(key: string): Promise<void> {
    await this.dataSource.query('DELETE FROM sign_in_throttle WHERE key = $1', [key]);
  }
}
