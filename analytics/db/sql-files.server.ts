import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The project's `sql/` folder. Found by walking up from this module, so the same code works
 * from the TypeScript sources (tsx, vitest) and from Remix's built server bundle.
 */
export const sqlRoot: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "sql", "schema"))) return join(dir, "sql");
    const parent = dirname(dir);
    if (parent === dir) throw new Error("cannot find the sql/ folder above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
})();

const cache = new Map<string, string>();

/** The text of `sql/<name>.sql` (e.g. `loadSql("queries/program_list")`), read once. */
export function loadSql(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(join(sqlRoot, `${name}.sql`), "utf8");
    cache.set(name, text);
  }
  return text;
}

/** The names (without `.sql`) of the files in `sql/<folder>`, sorted. */
export function listSql(folder: string): string[] {
  return readdirSync(join(sqlRoot, folder))
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .map((f) => `${folder}/${f.slice(0, -4)}`);
}
