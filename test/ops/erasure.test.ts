import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { applyErasureLedger, eraseParticipant, exportParticipant, findParticipant } from "../../analytics/ops/erasure.server.ts";
import { takeSnapshot } from "../../analytics/ops/programs.server.ts";
import { rebuildDatabaseFile } from "../../analytics/ops/rebuild.server.ts";
import { LONG_ID, exportWithLongId, fileContains, importInto, openFile, tempDir } from "./helpers.ts";

describe("erasure", () => {
  it("removes a participant everywhere, keeps only a keyed hash, and leaves no byte of the id in the file", async () => {
    const path = join(tempDir(), "binome.duckdb");
    await importInto(path, exportWithLongId());
    let handle = await openFile(path);
    try {
      // An undo snapshot and a stored simulation run that name the participant.
      await takeSnapshot(handle.db, "alpha", "import");
      await handle.db.run(
        `insert into simulation_runs values (1, current_timestamp::timestamp, 'alpha', ['random'], 1, 1, '{}', 'test', $results, 1)`,
        { results: JSON.stringify({ pairs: [{ mentee_id: LONG_ID, mentor_id: "P1" }] }) },
      );
      await handle.db.run(`insert into simulation_runs values (2, current_timestamp::timestamp, 'alpha', ['random'], 1, 1, '{}', 'test', '{"pairs":[]}', 1)`);
      await handle.db.run("checkpoint");
    } finally {
      handle.close();
    }
    expect(fileContains(path, LONG_ID)).toBe(true);

    handle = await openFile(path);
    try {
      const access = await exportParticipant(handle.db, "alpha", LONG_ID);
      expect(access).toMatchObject({ participant: { participant_id: LONG_ID, birth_year: 1998 }, simulation_runs_mentioning: [1] });
      expect((access.pairs as unknown[]).length).toBe(1);
      const result = await eraseParticipant(handle.db, "alpha", LONG_ID);
      expect(result.rowsRemoved).toMatchObject({ participants: 1, pairs: 1, ops_snapshot_participants: 1, ops_snapshot_pairs: 1, simulation_runs: 1 });
      expect(Object.values(await findParticipant(handle.db, "alpha", LONG_ID)).every((n) => n === 0)).toBe(true);
      const ledger = await handle.db.all<{ subject_hash: string }>("select * from erasure_ledger");
      expect(ledger).toHaveLength(1);
      expect(JSON.stringify(ledger)).not.toContain(LONG_ID);
      expect(ledger[0].subject_hash).toMatch(/^[0-9a-f]{64}$/);
      // The other pair, the other participants and the other run stay.
      expect(await handle.db.all("select participant_id from participants order by 1")).toEqual([{ participant_id: "P1" }, { participant_id: "P3" }, { participant_id: "P4" }]);
      expect(await handle.db.all("select run_id from simulation_runs")).toEqual([{ run_id: 2 }]);
      await expect(eraseParticipant(handle.db, "alpha", LONG_ID)).rejects.toThrow(/No participant/);
    } finally {
      handle.close();
    }
    await rebuildDatabaseFile(path);
    expect(fileContains(path, LONG_ID)).toBe(false);
    expect(existsSync(`${path}.wal`) && fileContains(`${path}.wal`, LONG_ID)).toBe(false);
    handle = await openFile(path);
    try {
      expect(await handle.db.all("select count(*)::integer as n from pairs")).toEqual([{ n: 1 }]);
      expect(await handle.db.all("select count(*)::integer as n from erasure_ledger")).toEqual([{ n: 1 }]);
    } finally {
      handle.close();
    }
  });

  it("re-applies the ledger to data that came back", async () => {
    const path = join(tempDir(), "binome.duckdb");
    const dir = exportWithLongId();
    await importInto(path, dir);
    let handle = await openFile(path);
    try {
      await eraseParticipant(handle.db, "alpha", LONG_ID);
      expect(await applyErasureLedger(handle.db)).toBe(0);
    } finally {
      handle.close();
    }
    // A later export of the program still lists them (the same files would be a no-op import).
    const { readFileSync, writeFileSync } = await import("node:fs");
    writeFileSync(join(dir, "pairs.csv"), readFileSync(join(dir, "pairs.csv"), "utf8").replace(",0.8,", ",0.9,"));
    await importInto(path, dir);
    handle = await openFile(path);
    try {
      expect(await handle.db.all("select participant_id from participants where participant_id = $id", { id: LONG_ID })).toHaveLength(1);
      expect(await applyErasureLedger(handle.db)).toBe(1);
      expect(await handle.db.all("select participant_id from participants where participant_id = $id", { id: LONG_ID })).toEqual([]);
    } finally {
      handle.close();
    }
  });
});
