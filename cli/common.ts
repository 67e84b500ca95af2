/**
 * What every Binôme CLI shares (the CLIs are the files next to this one, one per npm script;
 * decision 0015): the command line with its --help, the exit codes, the database path, and
 * the errors turned into one line on stderr.
 */
import { resolve } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { DatabaseLockedError } from "../analytics/db/database.server.ts";

/** Exit codes shared by every Binôme CLI. */
export const EXIT = { ok: 0, invalidInput: 1, usage: 2, locked: 3 } as const;

/** Wrong usage of a CLI: printed with a pointer to `--help`, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

type OptionsConfig = NonNullable<ParseArgsConfig["options"]>;
const HELP_OPTION = { help: { type: "boolean", short: "h" } } as const;

/**
 * Parses the command line (`node:util`'s parseArgs, strict) with `-h`/`--help` added to
 * `options`. A wrong option is a UsageError (exit 2). With --help, prints `help` on stdout and
 * returns null: the CLI then exits 0.
 */
export function parseCommandLine<const O extends OptionsConfig, const P extends boolean = false>(help: string, options: O, settings: { allowPositionals?: P; args?: string[] } = {}) {
  let parsed;
  try {
    parsed = parseArgs({ args: settings.args, options: { ...options, ...HELP_OPTION }, allowPositionals: (settings.allowPositionals ?? false) as P, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(help.endsWith("\n") ? help : `${help}\n`);
    return null;
  }
  return parsed;
}

/** The database file used when `--db` is not given: `BINOME_DB`, else `data/binome.duckdb`. */
export function defaultDbPath(): string {
  return resolve(process.env.BINOME_DB || "data/binome.duckdb");
}

/**
 * Runs a CLI's main function and turns the errors every CLI shares into one clear line on
 * stderr and the agreed exit code. `main` returns the exit code of a normal run.
 */
export async function runCli(name: string, main: () => Promise<number>): Promise<never> {
  let code: number;
  try {
    code = await main();
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${name}: ${error.message}\nRun \`npm run ${name} -- --help\` for usage.\n`);
      code = EXIT.usage;
    } else if (error instanceof Error && error.name === "MigrationError") {
      process.stderr.write(`${name}: ${error.message}\n`);
      code = EXIT.invalidInput;
    } else if (error instanceof DatabaseLockedError) {
      process.stderr.write(`${name}: ${error.message}\n`);
      code = EXIT.locked;
    } else {
      process.stderr.write(`${name}: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      code = 70;
    }
  }
  // Flush stdout before exiting: a piped `--format json` must arrive whole.
  await new Promise<void>((done) => process.stdout.write("", () => done()));
  process.exit(code);
}

/** A `--k` value: a whole number of at least `min` (the suppression threshold's floor); undefined when not given. */
export function parseKOption(value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const k = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(k) || k < min) throw new UsageError(`invalid --k: ${JSON.stringify(value)} (an integer ≥ ${min})`);
  return k;
}
