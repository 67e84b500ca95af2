/** A mapping named on a command line: a shipped preset (`flat-fr`) or a JSON mapping file. */
import { existsSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { PRESETS, PRESET_NAMES } from "./presets.ts";
import { parseMapping, type Mapping } from "./schema.ts";

export type LoadedMapping = { ok: true; mapping: Mapping; name: string } | { ok: false; problems: string[] };

export function loadMapping(nameOrPath: string): LoadedMapping {
  if (PRESETS[nameOrPath] && !existsSync(nameOrPath)) {
    const parsed = parseMapping(PRESETS[nameOrPath], nameOrPath);
    return parsed.ok ? { ok: true, mapping: parsed.mapping, name: nameOrPath } : parsed;
  }
  const name = basename(nameOrPath);
  let text: string;
  try {
    text = readFileSync(nameOrPath, "utf8");
  } catch {
    return { ok: false, problems: [`${name}: no such mapping file, and not a preset (${PRESET_NAMES.join(", ")})`] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`${name}: not JSON: ${error instanceof Error ? error.message : String(error)}`] };
  }
  const parsed = parseMapping(json, name);
  if (!parsed.ok) return { ok: false, problems: parsed.problems.map((p) => `${name}: ${p}`) };
  return { ok: true, mapping: parsed.mapping, name };
}
