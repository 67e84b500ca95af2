import type { Db } from "../db/database.server.ts";
import { loadSql } from "../db/sql-files.server.ts";
import { generatePassword } from "./password.server.ts";
import type { Role } from "../domain/roles.ts";
import { countUsers, createUser } from "./users.server.ts";

/** The inter-company demo program whose organization the demo users belong to. */
export const DEMO_PROGRAM = "octave-demo";

/** Demo-only accounts: these passwords are public (README); never use BINOME_DEMO=1 for real data. */
export const DEMO_USERS: ReadonlyArray<{ username: string; role: Role; password: string; displayName: string }> = [
  { username: "demo-admin", role: "admin", password: "binome-demo-admin", displayName: "Demo operator" },
  { username: "demo-hr", role: "hr", password: "binome-demo-hr", displayName: "Demo HR" },
  { username: "demo-rse", role: "rse", password: "binome-demo-rse", displayName: "Demo CSR director" },
  { username: "demo-sponsor", role: "sponsor", password: "binome-demo-sponsor", displayName: "Demo sponsor" },
];

export type BootstrapResult =
  | { created: "none" }
  | { created: "demo"; orgId: string | null; usernames: string[] }
  | { created: "admin"; username: string; password: string };

/**
 * On a database without any account: with the demo, the demo admin and one user per role for
 * the largest organization of octave-demo (looked up after the import); otherwise a single
 * `admin` with a random password, printed once. Does nothing once an account exists.
 */
export async function bootstrapUsers(db: Db, options: { demo: boolean; log: (line: string) => void }): Promise<BootstrapResult> {
  if ((await countUsers(db)) > 0) return { created: "none" };
  const { log } = options;
  if (options.demo) {
    const [org] = await db.all<{ org_id: string }>(loadSql("auth/demo_org"), { program_id: DEMO_PROGRAM });
    const orgId = org?.org_id ?? null;
    const created: string[] = [];
    for (const user of DEMO_USERS) {
      if (user.role !== "admin" && !orgId) continue;
      await createUser(db, { ...user, orgId: user.role === "admin" ? null : orgId });
      created.push(user.username);
    }
    log(`Demo accounts (demo-only passwords${orgId ? `; hr, rse and sponsor belong to ${orgId}` : ""}):`);
    for (const user of DEMO_USERS.filter((u) => created.includes(u.username))) {
      log(`  ${user.role.padEnd(8)} ${user.username.padEnd(13)} password: ${user.password}`);
    }
    return { created: "demo", orgId, usernames: created };
  }
  const password = generatePassword();
  await createUser(db, { username: "admin", role: "admin", password, displayName: "Administrator" });
  log("Created the first account: username `admin`, password (shown only this once):");
  log(`  ${password}`);
  log("Sign in and change it at /account; add users at /admin/users or with `npm run users`.");
  return { created: "admin", username: "admin", password };
}
