import { readdirSync } from "node:fs";
import { join } from "node:path";

/** Every file under `dir` (recursively), as paths starting with `dir`, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path));
    else out.push(path);
  }
  return out.sort();
}
