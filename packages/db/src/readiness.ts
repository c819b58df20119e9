import type { DataSource } from 'typeorm';

/** One thing a process needs before it can do its work: resolves true when it holds, false or throws when not. */
export type ReadinessCheck = () => Promise<boolean>;

export interface Readiness {
  ready: boolean;
  checks: Record<string, 'ok' | 'failing' | 'timed out'>;
}

/** A database that hangs must not hang the probe: a check slower than this counts as failing. */
const CHECK_TIMEOUT_MS = 2000;

async function outcome(check: ReadinessCheck): Promise<Readiness['checks'][string]> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timed out'>((resolve) => {
    timer = setTimeout(() => resolve('timed out'), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check().then((holds) => (holds ? 'ok' : 'failing')), timedOut]);
  } catch {
    return 'failing';
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs every check at once and says which hold: what a /readyz answers, so that a load balancer or the operator
 * sees a process that cannot reach its database (or has no queue, or no model) as not ready, however alive it is.
 */
export async function checkReadiness(checks: Record<string, ReadinessCheck>): Promise<Readiness> {
  const names = Object.keys(checks);
  const outcomes = await Promise.all(names.map((name) => outcome(checks[name])));
  return { ready: outcomes.every((o) => o === 'ok'), checks: Object.fromEntries(names.map((name, i) => [name, outcomes[i]])) };
}

/** The database answers a query now (a pooled connection that died with the server is replaced by the pool). */
export const databaseAnswers =
  (dataSource: DataSource): ReadinessCheck =>
  async () => {
    await dataSource.query('SELECT 1');
    return true;
  };
