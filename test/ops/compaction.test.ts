import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ServerDatabase, closeAppDatabases, getAppDb, getImportDb } from "../../analytics/db/app-db.server.ts";
import { getProgramReport } from "../../analytics/report/report.server.ts";
import { applyMetricViews, warmProgramMarts } from "../../analytics/metrics/schema.server.ts";
import { compactionStatus, requestCompaction } from "../../analytics/ops/compaction.server.ts";
import { eraseParticipant, lastRebuildAt, rebuildNeededSince } from "../../analytics/ops/erasure.server.ts";
import { withOpsLock } from "../../analytics/db/transaction.server.ts";
import { LONG_ID, exportWithLongId, fileContains, importInto, tempDir } from "./helpers.ts";

// The server's rebuild in-process (decision 0013): it waits for a data operation in progress
// (a backup or an import holds the operations lock), and the handles work on after the swap.
const g = globalThis as { __binomeServerDb?: Promise<ServerDatabase> };
const admin = { userId: "u_admin", role: "admin" as const, orgId: null };
const silent = () => undefined;

afterEach(async () => {
  await closeAppDatabases();
});

describe("the server's own rebuild after an erasure", () => {
  it("waits for an operation in progress, then swaps the file under the same handles", async () => {
    const path = join(tempDir(), "binome.duckdb");
    await importInto(path, exportWithLongId());
    g.__binomeServerDb = ServerDatabase.open(path);
    const pages = await getAppDb();
    const ops = await getImportDb();
    await applyMetricViews(pages);
    await warmProgramMarts(pages, "alpha");
    const before = await getProgramReport(pages, "alpha");

    await eraseParticipant(ops, "alpha", LONG_ID);
    expect(await rebuildNeededSince(pages)).not.toBeNull();

    // A backup (or an import) in progress: the rebuild must not start under it.
    let finishOperation!: () => void;
    const operation = withOpsLock(ops, () => new Promise<void>((r) => (finishOperation = r)));
    const rebuilt = requestCompaction(admin, silent);
    for (let i = 0; i < 10; i++) {
      await new Promise((r) => setTimeout(r, 100));
      expect(compactionStatus(), "the rebuild started under a data operation").toMatchObject({ state: "running", phase: "waiting" });
    }
    expect(fileContains(path, LONG_ID)).toBe(true);
    // Pages read and write meanwhile.
    await pages.run("insert into ops_state values ('test_written_during', 'yes')");

    finishOperation();
    await operation;
    await rebuilt;
    expect(compactionStatus()).toMatchObject({ state: "idle", error: null });
    expect(fileContains(path, LONG_ID)).toBe(false);
    if (existsSync(`${path}.wal`)) expect(fileContains(`${path}.wal`, LONG_ID)).toBe(false);

    // The same handles, on the new file: the data, the write made while waiting, the figures.
    expect(await rebuildNeededSince(pages)).toBeNull();
    expect(await lastRebuildAt(ops)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(await pages.all("select state_value from ops_state where state_key = 'test_written_during'")).toEqual([{ state_value: "yes" }]);
    expect(await pages.all("select count(*)::integer as n from participants where participant_id = $id", { id: LONG_ID })).toEqual([{ n: 0 }]);
    const after = await getProgramReport(pages, "alpha");
    expect(after?.program).toEqual(before?.program);
    expect(await pages.all("select action from audit_log where action = 'rebuild_database'")).toEqual([{ action: "rebuild_database" }]);

    // Asking again with nothing pending changes nothing.
    await requestCompaction(admin, silent);
    expect(await pages.all("select count(*)::integer as n from audit_log where action = 'rebuild_database'")).toEqual([{ n: 1 }]);
  }, 60_000);
});
