import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';

/**
 * Structured logs. Patient identifiers never belong in a log line; these paths are censored as a
 * second line of defence should one slip into a logged object.
 */
const REDACTED_PATHS = [
  'patientName',
  'patientId',
  'patient',
  'birthDate',
  'email',
  'password',
  'authorization',
  'token',
  '*.patientName',
  '*.patientId',
  '*.patient',
  '*.birthDate',
  '*.email',
  '*.password',
  '*.authorization',
  '*.token',
  'req.headers.authorization',
  'req.headers.cookie',
  // Secrets a careless caller might log whole: password hashes, token hashes, the session secret.
  'passwordHash',
  'tokenHash',
  'secret',
  '*.passwordHash',
  '*.tokenHash',
  '*.secret',
  '*.AUTH_SECRET',
  '*.NEXTAUTH_SECRET',
  '*.OIDC_CLIENT_SECRET',
  // A failed SQL statement (TypeORM's QueryFailedError, node-postgres's error under it) carries the statement's
  // values — a PatientID, an argon2 hash, a token hash — and PostgreSQL's detail repeats them ("Key (…)=(…)").
  'err.parameters',
  'err.detail',
  'err.driverError.parameters',
  'err.driverError.detail',
  'err.cause.parameters',
  'err.cause.detail',
  'err.cause.driverError.parameters',
  'err.cause.driverError.detail',
];

export type { Logger };

/** Under jest, warnings and worse unless LOG_LEVEL says otherwise: a test's output shows its failures, not routine lines. */
const defaultLevel = (): string => process.env.LOG_LEVEL ?? (process.env.JEST_WORKER_ID ? 'warn' : 'info');

/**
 * The one logger of every service and command line. Lines go to stderr, because stdout carries what a command
 * prints as its result (an id, a summary, the start banner). On a terminal they are readable lines; anywhere else
 * (a file, a pipe, a container's log collector) one JSON object per line. Written synchronously, so the last lines
 * before an exit are never lost. `output` replaces stderr, for a test that reads what was logged.
 */
export function createLogger(service: string, level: string = defaultLevel(), output?: DestinationStream): Logger {
  const destination =
    output ??
    (process.stderr.isTTY
      ? pretty({ destination: 2, sync: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' })
      : pino.destination({ dest: 2, sync: true }));
  return pino({ name: service, level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
}
export { ProgressLine, formatSeconds } from './progress';
export { commandLine, type CommandLine } from './command-line';
