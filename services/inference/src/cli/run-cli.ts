/** Shared frame of the command lines: user errors print one clear line and exit 1; bugs keep their stack. */
import type { CommandLine } from '@bonescan/logger';
import { BackendError } from '../model/backend';
import { ModelLoadError } from '../model/model-files';
import { TrainingDataError } from '../training/labelled-folder';

export class UsageError extends Error {
  override name = 'UsageError';
}

const USER_ERRORS = [UsageError, TrainingDataError, ModelLoadError, BackendError];

export function runCli(command: CommandLine, main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      const known = USER_ERRORS.some((type) => error instanceof type) || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION';
      if (known) {
        process.stderr.write(`error: ${(error as Error).message}\n`);
        if (error instanceof UsageError) process.stderr.write(`${command.usage}\n`);
      } else {
        process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      }
      process.exit(1);
    },
  );
}

export function numberOption(name: string, raw: string, rules: { integer?: boolean; min?: number; max?: number }): number {
  const value = Number(raw);
  const ok =
    Number.isFinite(value) &&
    (!rules.integer || Number.isInteger(value)) &&
    (rules.min === undefined || value >= rules.min) &&
    (rules.max === undefined || value <= rules.max);
  if (!ok) {
    const range = [rules.min !== undefined ? `>= ${rules.min}` : '', rules.max !== undefined ? `<= ${rules.max}` : ''].filter(Boolean).join(' and ');
    throw new UsageError(`--${name} must be ${rules.integer ? 'an integer' : 'a number'}${range ? ` ${range}` : ''}, got "${raw}"`);
  }
  return value;
}
