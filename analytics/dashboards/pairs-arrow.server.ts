/**
 * The pairs detail of a program as Arrow IPC (large detail data for notebooks and the browser):
 * one row per pair the reader may see individually, filtered like the pages. Columns are read
 * from DuckDB column-wise and written with `tableFromArrays` + `tableToIPC` (STACK.md: no Arrow
 * output from @duckdb/node-api).
 */
import { tableFromArrays, tableToIPC } from "apache-arrow";
import { individualsParams, type IndividualsScope } from "../auth/scope.server.ts";
import type { Db } from "../db/database.server.ts";
import { loadSql } from "../db/sql-files.server.ts";
import { withProgramMarts } from "../metrics/schema.server.ts";
import { filterParams, NO_FILTERS, type Filters } from "./filters.ts";

export interface PairsArrow {
  ipc: Uint8Array<ArrayBuffer>;
  rows: number;
}

/** null when the program does not exist. `individualsOrg`: every pair, or the pairs with a member of one organization. */
export async function getPairsArrow(db: Db, programId: string, individualsOrg: IndividualsScope, filters: Filters = NO_FILTERS): Promise<PairsArrow | null> {
  return withProgramMarts(db, programId, async () => {
    const [program] = await db.all<{ as_of: string }>(loadSql("queries/report_program"), { program_id: programId, as_of: null });
    if (!program) return null;
    const { columns, rowCount } = await db.columns(loadSql("dashboards/pairs_detail"), {
      program_id: programId,
      as_of: program.as_of,
      ...individualsParams(individualsOrg),
      ...filterParams(filters),
    });
    const arrays: Record<string, unknown[] | Float64Array | Int32Array> = {};
    for (const [name, values] of Object.entries(columns)) {
      // Non-null numeric columns become typed arrays (Arrow's Float64/Int32); others stay JS arrays.
      if (values.every((v) => typeof v === "number")) {
        arrays[name] = name.startsWith("count_") || name.endsWith("_years") ? Int32Array.from(values as number[]) : Float64Array.from(values as number[]);
      } else {
        arrays[name] = values;
      }
    }
    const table = tableFromArrays(arrays as Parameters<typeof tableFromArrays>[0]);
    const ipc = tableToIPC(table, "stream") as Uint8Array<ArrayBuffer>;
    return { ipc, rows: rowCount };
  });
}
