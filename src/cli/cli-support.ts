/**
 * Pieces every command shares: the error type the command line prints, the output streams, and
 * readers for the values users type (LAESTAB, academic year).
 */

/**
 * An error whose message is written for the person at the terminal: it names the value that
 * failed and what to do. The command line prints it without a stack trace and exits with 1.
 */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * Output streams, environment and working folder of a command, passed in rather than read from
 * `process`.
 */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Process exit code of a command: 0 for success, 1 for failure. */
export type ExitCode = 0 | 1;

/**
 * Runs a command's `node:util` parseArgs call, turning its errors (unknown option, missing
 * value) into a `CliError` that points at the command's help.
 */
export function parseCommandArgs<T>(command: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (
      error instanceof TypeError &&
      'code' in error &&
      String(error.code).startsWith('ERR_PARSE_ARGS')
    ) {
      throw new CliError(
        `${error.message}. Run "commissioner ${command} --help" to see the options`,
      );
    }
    throw error;
  }
}

/**
 * Reads a LAESTAB: the 3-digit LA number and the 4-digit establishment number, written
 * together (8014001) or with a slash or hyphen between them (801/4001).
 */
export function readLaestab(value: string | undefined, option = '--school'): string {
  if (value === undefined || value.trim() === '') {
    throw new CliError(
      `${option} is missing: give the school's LAESTAB, for example ${option} 8014001`,
    );
  }
  const match = /^(\d{3})[/-]?(\d{4})$/.exec(value.trim());
  if (match === null) {
    throw new CliError(
      `${option} "${value}" is not a LAESTAB: give the 3-digit LA number and the 4-digit establishment number, for example 8014001 or 801/4001`,
    );
  }
  return `${match[1]}${match[2]}`;
}

/**
 * Reads an academic year as its start year: `2024` or `2024/25` both mean September 2024 to
 * August 2025. Years from 2000 to 2099 are accepted.
 */
export function readAcademicYear(value: string, option = '--year'): number {
  const match = /^(\d{4})(?:\/(\d{2}))?$/.exec(value.trim());
  const startYear = match === null ? Number.NaN : Number(match[1]);
  if (match === null || startYear < 2000 || startYear > 2099) {
    throw new CliError(
      `${option} "${value}" is not an academic year: give its start year, for example ${option} 2024 for 2024/25`,
    );
  }
  const endDigits = match[2];
  if (endDigits !== undefined && Number(endDigits) !== (startYear + 1) % 100) {
    throw new CliError(
      `${option} "${value}" is not an academic year: ${startYear}/${endDigits} should end in ${String((startYear + 1) % 100).padStart(2, '0')}. Give the start year, for example ${option} ${startYear}`,
    );
  }
  return startYear;
}

/** Formats an academic year the way schools write it, for example `2024/25`. */
export function formatAcademicYear(startYear: number): string {
  return `${startYear}/${String((startYear + 1) % 100).padStart(2, '0')}`;
}

/** Rejects positional arguments a command does not take. */
export function rejectExtraArguments(positionals: string[], command: string): void {
  if (positionals.length > 0) {
    throw new CliError(
      `Unexpected argument "${positionals[0]}" for "commissioner ${command}". Run "commissioner ${command} --help" to see how to use it`,
    );
  }
}
