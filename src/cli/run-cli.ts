/**
 * The `commissioner` command line: reads the command name and hands the rest of the arguments
 * to that command.
 */
import { CliError, type CliIo, type ExitCode } from './cli-support.js';

export const MAIN_HELP = `Usage: commissioner <command> [options]

Loads pupil data into Commissioner, shows the gaps between groups of pupils, and manages
the organisations and accounts of the people who sign in.

Commands:
  school add           Add a school (LAESTAB, name, URN, phase)
  school list          List the schools and their pupils per academic year
  import               Preview and load a CTF, CSV or XLSX file of pupils, or of exclusions
  gaps                 Print the group analysis of a school as JSON or CSV
  demo                 Add the synthetic demo school, or write its files to a folder
  organisation add     Add a trust, local authority, provider or school
  organisation list    List the organisations with their ids
  admin create         Create the first administrator of an organisation
  user add             Create an account with a role in an organisation
  user reset-password  Set a new password and sign the account out everywhere
  user disable         Stop an account from signing in
  user list            List the accounts and their roles

Run "commissioner <command> --help" for the options of a command.

Environment:
  DATABASE_URL      sqlite:PATH or postgres://user@host:port/database; by default
                    data/commissioner.sqlite in the project folder, the web app's database.
                    The schema is brought up to date when a command opens it.
  LOG_LEVEL         Log lines on standard error: fatal, error, warn (the default), info,
                    debug, trace or silent
  MAX_UPLOAD_BYTES  Largest file import accepts, in bytes (default 20971520, 20 MB)
`;

type Command = (args: string[], io: CliIo) => Promise<ExitCode>;

// Each command's module is loaded only when it runs: the database drivers and the spreadsheet
// reader take about a second to load, which help and input errors need not wait for.
const COMMANDS: Record<string, () => Promise<Command>> = {
  school: async () => (await import('./school-command.js')).runSchoolCommand,
  import: async () => (await import('./import-command.js')).runImportCommand,
  gaps: async () => (await import('./gaps-command.js')).runGapsCommand,
  demo: async () => (await import('./demo-command.js')).runDemoCommand,
  organisation: async () => (await import('./organisation-commands.js')).runOrganisationCommand,
  user: async () => (await import('./user-commands.js')).runUserCommand,
  admin: async () => (await import('./user-commands.js')).runAdminCommand,
};

/**
 * Runs one command and returns its exit code. A `CliError` is printed on standard error as
 * written. Any other error is printed with its stack under a line calling it unexpected. Both give 1.
 */
export async function runCli(args: string[], io: CliIo): Promise<ExitCode> {
  const [command, ...rest] = args;
  try {
    if (command === undefined) {
      io.stderr.write(MAIN_HELP);
      return 1;
    }
    if (command === '--help' || command === '-h' || command === 'help') {
      io.stdout.write(MAIN_HELP);
      return 0;
    }
    const load = COMMANDS[command];
    if (load === undefined) {
      throw new CliError(
        `"${command}" is not a command. Run "commissioner --help" to see the commands`,
      );
    }
    const run = await load();
    return await run(rest, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`Error: ${error.message}\n`);
      return 1;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr.write(
      `Error: the command failed unexpectedly. Details follow; please report them.\n${detail}\n`,
    );
    return 1;
  }
}
