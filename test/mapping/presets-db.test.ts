/** Mapping presets in the database (schema version 5): admin only, audited, checked, proposed by headers, in backups. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Scope } from "../../analytics/auth/scope.server.ts";
import { withMemoryDatabase } from "../../analytics/db/database.server.ts";
import { readSources } from "../../analytics/ingest/mapping/ingest.server.ts";
import { PRESETS } from "../../analytics/ingest/mapping/presets.ts";
import { deletePreset, getPreset, headersKey, listPresets, presetsForSources, savePreset } from "../../analytics/ops/mapping-presets.server.ts";
import { UPLOAD_LIMITS } from "../../analytics/ops/upload.server.ts";
import { tempDir } from "./helpers.ts";

const ADMIN: Scope = { userId: "u-admin", role: "admin", orgId: null };
const HR: Scope = { userId: "u-hr", role: "hr", orgId: "ORG1" };

function files(header: string): ReturnType<typeof readSources>["sources"] {
  const dir = tempDir();
  writeFileSync(join(dir, "binomes.csv"), `${header}\n1;2\n`);
  return readSources([dir], UPLOAD_LIMITS).sources;
}

describe("mapping presets in the database", () => {
  it("saves, lists, replaces and deletes a preset, audited; the mapping is checked first", async () => {
    await withMemoryDatabase(async (db) => {
      const mine = { ...structuredClone(PRESETS["flat-fr"]), name: "plateforme-x" };
      await savePreset(db, ADMIN, "plateforme-x", mine, "k1");
      expect((await listPresets(db, ADMIN)).map((p) => [p.name, p.headers_key, p.created_by])).toEqual([["plateforme-x", "k1", "u-admin"]]);
      expect((await getPreset(db, ADMIN, "plateforme-x"))?.mapping).toEqual(mine);
      await savePreset(db, ADMIN, "plateforme-x", mine, "k2");
      expect((await listPresets(db, ADMIN)).map((p) => p.headers_key)).toEqual(["k2"]);
      await expect(savePreset(db, ADMIN, "broken", { binome_mapping: 1, tables: {} }, null)).rejects.toThrow(/^the mapping is invalid:\ntables: no part for the required table programs/);
      await expect(savePreset(db, ADMIN, "flat-fr", mine, null)).rejects.toThrow("flat-fr is a shipped preset: choose another name");
      await expect(savePreset(db, ADMIN, "../x", mine, null)).rejects.toThrow(/^not a preset name/);
      await deletePreset(db, ADMIN, "plateforme-x");
      expect(await listPresets(db, ADMIN)).toEqual([]);
      await expect(deletePreset(db, ADMIN, "plateforme-x")).rejects.toThrow('no preset named "plateforme-x"');
      const audit = await db.all<{ action: string; details: string }>("select action, details::varchar as details from audit_log order by logged_at");
      expect(audit.map((a) => [a.action, JSON.parse(a.details)])).toEqual([
        ["manage_mapping_presets", { preset: "plateforme-x", operation: "save" }],
        ["manage_mapping_presets", { preset: "plateforme-x", operation: "save" }],
        ["manage_mapping_presets", { preset: "plateforme-x", operation: "delete" }],
      ]);
    });
  });

  it("is admin only: every function refuses another role", async () => {
    await withMemoryDatabase(async (db) => {
      const mine = structuredClone(PRESETS["flat-en"]);
      for (const call of [
        () => savePreset(db, HR, "x", mine, null),
        () => listPresets(db, HR),
        () => getPreset(db, HR, "x"),
        () => deletePreset(db, HR, "x"),
        () => presetsForSources(db, HR, []),
      ]) {
        await expect(call()).rejects.toMatchObject({ status: 403, message: "only an administrator manages mapping presets" });
      }
      expect(await db.all("select * from mapping_presets")).toEqual([]);
    });
  });

  it("the next files with the same headers propose the preset (headers matched as the mapping matches them)", async () => {
    await withMemoryDatabase(async (db) => {
      const saved = files("N° binôme;Statut");
      await savePreset(db, ADMIN, "mine", structuredClone(PRESETS["flat-fr"]), headersKey(saved));
      expect((await presetsForSources(db, ADMIN, files(" n° BINÔME ;statut"))).map((p) => p.name)).toEqual(["mine"]);
      expect(await presetsForSources(db, ADMIN, files("N° binôme;État"))).toEqual([]);
    });
  });
});

describe("mapping presets in backups", () => {
  it("a backup holds the presets and a restore brings them back", async () => {
    const { openAppDatabase } = await import("../../analytics/db/open.server.ts");
    const { backupDatabase, restoreDatabase } = await import("../../analytics/ops/backup.server.ts");
    const dir = tempDir();
    const path = join(dir, "a.duckdb");
    let db = await openAppDatabase(path);
    await savePreset(db, ADMIN, "mine", structuredClone(PRESETS["flat-fr"]), "k");
    db.close();
    const manifest = await backupDatabase(path, join(dir, "backup"));
    expect(manifest.tables.mapping_presets).toBe(1);
    const restored = join(dir, "b.duckdb");
    await restoreDatabase(join(dir, "backup"), restored);
    db = await openAppDatabase(restored);
    try {
      expect((await listPresets(db, ADMIN)).map((p) => [p.name, p.headers_key])).toEqual([["mine", "k"]]);
    } finally {
      db.close();
    }
  });
});
