import pino, { type Logger } from 'pino';

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
];

export type { Logger };

export function createLogger(service: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: service, level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
}
export { ProgressLine, formatSeconds } from './progress';
export { commandLine, type CommandLine } from './command-line';
