/**
 * Mapping presets kept in the database (issue #17): an operator saves a mapping under a name;
 * the next files with the same headers propose it. Admin only (every function takes the
 * caller's scope and refuses any other role), audited, and in backups like every table
 * (schema version 5). The shipped presets (`flat-fr`, `flat-en`) are code, not rows: their names
 * cannot be taken.
 */
import { recordAudit } from "../auth/audit.server.ts";
import type { Scope } from "../auth/scope.server.ts";
import type { Db } from "../db/database.server.ts";
import { loadSql } from "../db/sql-files.server.ts";
import { PRESET_NAMES } from "../ingest/mapping/presets.ts";
import { parseMapping, type Mapping } from "../ingest/mapping/schema.ts";
import type { Source } from "../ingest/mapping/sources.server.ts";
import { headerKey } from "../ingest/mapping/transform.ts";

export class PresetRefused extends Error {
  constructor(
    message: string,
    readonly status: 400 | 403 | 404 = 400,
  ) {
    super(message);
    this.name = "PresetRefused";
  }
}

export interface StoredPreset {
  name: string;
  /** The mapping as saved (JSON of docs/export-format.md). */
  mapping: unknown;
  headers_key: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

/** A preset's name: 1 to 64 letters, digits or `_ . -`, starting with a letter or digit. */
export const PRESET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

function requireAdmin(scope: Scope): void {
  if (scope.role !== "admin") throw new PresetRefused("only an administrator manages mapping presets", 403);
}

/** What makes two sets of files "the same headers": every sheet's or file's headers, normalised, in order, the sources sorted. */
export function headersKey(sources: Pick<Source, "headers">[]): string {
  return sources
    .map((s) => s.headers.filter((h) => h !== "").map(headerKey).join("\u001f"))
    .sort()
    .join("\u001e");
}

const row = (r: Record<string, unknown>): StoredPreset => ({ ...(r as unknown as StoredPreset), mapping: JSON.parse(String(r.mapping)) });

/** Saves (or replaces) a preset after checking the mapping; returns the parsed mapping. */
export async function savePreset(db: Db, scope: Scope, name: string, input: unknown, headers: string | null): Promise<Mapping> {
  requireAdmin(scope);
  if (!PRESET_NAME.test(name)) throw new PresetRefused(`not a preset name (1 to 64 letters, digits or _ . -, starting with a letter or digit): ${JSON.stringify(name)}`);
  if (PRESET_NAMES.includes(name)) throw new PresetRefused(`${name} is a shipped preset: choose another name`);
  const parsed = parseMapping(input, name);
  if (!parsed.ok) throw new PresetRefused(`the mapping is invalid:\n${parsed.problems.join("\n")}`);
  await db.run(loadSql("ops/mapping/preset_upsert"), { name, mapping: JSON.stringify(input), headers_key: headers, user_id: scope.userId });
  await recordAudit(db, scope, "manage_mapping_presets", { preset: name, operation: "save" });
  return parsed.mapping;
}

export async function listPresets(db: Db, scope: Scope): Promise<StoredPreset[]> {
  requireAdmin(scope);
  return (await db.all<Record<string, unknown>>(loadSql("ops/mapping/preset_list"))).map(row);
}

export async function getPreset(db: Db, scope: Scope, name: string): Promise<StoredPreset | null> {
  requireAdmin(scope);
  const rows = await db.all<Record<string, unknown>>(loadSql("ops/mapping/preset_get"), { name });
  return rows.length ? row(rows[0]) : null;
}

export async function deletePreset(db: Db, scope: Scope, name: string): Promise<void> {
  requireAdmin(scope);
  const removed = await db.all(loadSql("ops/mapping/preset_delete"), { name });
  if (removed.length === 0) throw new PresetRefused(`no preset named ${JSON.stringify(name)}`, 404);
  await recordAudit(db, scope, "manage_mapping_presets", { preset: name, operation: "delete" });
}

/** The presets saved for files with these headers (the one to propose first). */
export async function presetsForSources(db: Db, scope: Scope, sources: Pick<Source, "headers">[]): Promise<StoredPreset[]> {
  requireAdmin(scope);
  return (await db.all<Record<string, unknown>>(loadSql("ops/mapping/preset_by_headers"), { headers_key: headersKey(sources) })).map(row);
}
