/**
 * `npm run users -- <command> …`: manage the accounts of a Binôme database while the server is
 * stopped (the server holds the file while it runs; use /admin/users then).
 */
import { EXIT, UsageError, defaultDbPath, parseCommandLine, runCli } from "./common.ts";
import { openAppDatabase } from "../analytics/db/open.server.ts";
import { generatePassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../analytics/auth/password.server.ts";
import { createUser, disableUser, enableUser, listUsers, resetPassword, UserError } from "../analytics/auth/users.server.ts";

const HELP = `Usage: npm run users -- <command> [options]

Manage Binôme accounts. Run it while the server is stopped (or use /admin/users).

Commands:
  list                          every account: username, role, organization, status, live sessions
  add --username U --role R [--org ORG_ID] [--name "Display name"] [--password-stdin]
                                create an account; role is admin, hr, rse or sponsor; hr, rse and
                                sponsor need the org_id of their organization, admin takes none.
                                Prints a generated password unless --password-stdin is given.
  disable --username U          disable an account and end all of its sessions
  enable --username U           enable a disabled account again
  reset-password --username U [--password-stdin]
                                set a new password (generated and printed unless
                                --password-stdin), end the account's sessions and forget its
                                failed sign-ins

Options:
  --db PATH          the database file (default: $BINOME_DB or data/binome.duckdb)
  --password-stdin   read the password from the first line of standard input
                     (${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters), never from the command line
  --format json      for list: JSON instead of a table
  -h, --help         this help

Exit codes: 0 done, 1 refused (unknown user, taken username, bad password…), 2 usage,
3 the database is in use by the server.
`;

async function readPasswordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0];
}

async function main(): Promise<number> {
  const parsed = parseCommandLine(
    HELP,
    {
      db: { type: "string" },
      username: { type: "string" },
      role: { type: "string" },
      org: { type: "string" },
      name: { type: "string" },
      "password-stdin": { type: "boolean", default: false },
      format: { type: "string", default: "table" },
    },
    { allowPositionals: true },
  );
  if (!parsed) return EXIT.ok;
  const { values, positionals } = parsed;
  if (positionals.length === 0) {
    process.stdout.write(HELP);
    return EXIT.usage;
  }
  const [command, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}`);
  if (!["list", "add", "disable", "enable", "reset-password"].includes(command)) {
    throw new UsageError(`unknown command "${command}"`);
  }
  if (command !== "list" && !values.username) throw new UsageError(`${command} needs --username`);
  if (command === "add" && !values.role) throw new UsageError("add needs --role (admin, hr, rse or sponsor)");
  if (values.format !== "table" && values.format !== "json") throw new UsageError("--format is table or json");

  const password =
    command === "add" || command === "reset-password"
      ? values["password-stdin"]
        ? await readPasswordFromStdin()
        : generatePassword()
      : "";
  const db = await openAppDatabase(values.db ?? defaultDbPath());
  try {
    const username = values.username ?? "";
    switch (command) {
      case "list": {
        const users = await listUsers(db);
        if (values.format === "json") {
          process.stdout.write(`${JSON.stringify(users, null, 2)}\n`);
        } else if (users.length === 0) {
          process.stdout.write("No account yet. Create one with: npm run users -- add --username admin --role admin\n");
        } else {
          const rows = users.map((u) => [
            u.username,
            u.role,
            u.org_id ?? "-",
            u.disabled_at ? `disabled ${u.disabled_at.slice(0, 10)}` : "active",
            String(u.sessions),
          ]);
          const header = ["username", "role", "org", "status", "sessions"];
          const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
          for (const row of [header, ...rows]) {
            process.stdout.write(`${row.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd()}\n`);
          }
        }
        return EXIT.ok;
      }
      case "add":
        await createUser(db, { username, role: values.role!, orgId: values.org ?? null, displayName: values.name ?? null, password });
        process.stdout.write(`Created ${username.trim().toLowerCase()} (${values.role}${values.org ? `, ${values.org}` : ""}).\n`);
        if (!values["password-stdin"]) process.stdout.write(`Password (shown only now): ${password}\n`);
        return EXIT.ok;
      case "disable":
        await disableUser(db, username);
        process.stdout.write(`Disabled ${username}; their sessions have ended.\n`);
        return EXIT.ok;
      case "enable":
        await enableUser(db, username);
        process.stdout.write(`Enabled ${username}.\n`);
        return EXIT.ok;
      case "reset-password":
        await resetPassword(db, username, password);
        process.stdout.write(`New password set for ${username}; their sessions have ended.\n`);
        if (!values["password-stdin"]) process.stdout.write(`Password (shown only now): ${password}\n`);
        return EXIT.ok;
    }
    return EXIT.usage;
  } catch (error) {
    if (error instanceof UserError) {
      process.stderr.write(`users: ${error.message}\n`);
      return EXIT.invalidInput;
    }
    throw error;
  } finally {
    db.close();
  }
}

void runCli("users", main);
