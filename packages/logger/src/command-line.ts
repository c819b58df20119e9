/**
 * How a command line is called, declared once per command. Every command line of the platform takes its
 * arguments through `arguments()`, so `--help` (or `-h`) answers the same way everywhere — the usage on stdout,
 * exit 0, before anything starts — and never reaches an argument parser that would refuse it as unknown.
 */
export interface CommandLine {
  /** `usage: <as the user types it> <its arguments>`: printed by --help, and after a usage error. */
  readonly usage: string;
  /** The arguments after the command, once a request for help has been answered (and the process ended). */
  arguments(argv?: readonly string[]): string[];
}

export function commandLine(declared: {
  /** The command as the user types it, e.g. `npm run train --`. */
  invocation: string;
  /** Its arguments, options in brackets. */
  synopsis: string;
  /** What it does, in a sentence or two. */
  purpose: string;
}): CommandLine {
  const usage = `usage: ${declared.invocation} ${declared.synopsis}`.trimEnd();
  return {
    usage,
    arguments(argv = process.argv.slice(2)) {
      // Past a lone `--` everything belongs to the command, even a literal --help.
      const options = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
      if (options.includes('--help') || options.includes('-h')) {
        process.stdout.write(`${usage}\n\n${declared.purpose}\n`);
        process.exit(0);
      }
      return [...argv];
    },
  };
}
