/**
 * The pairs detail of a program as Arrow IPC (large detail data for notebooks and the browser):
 * one row per pair the reader may see individually, filtered like the pages. Columns are read
 * from DuckDB column-wise and written with `tableToIPC` (STACK.md: no Arrow output from
 * @duckdb/node-api). The columns are the ones `tableFromArrays` would infer (text as
 * Dictionary<Int32, Utf8>, booleans as Bool, numbers with nulls as Float64), their buffers
 * filled directly: Arrow's generic builders took a second at 200,000 participants.
 */
import { Bool, Dictionary, Int32, makeData, makeVector, Table, tableToIPC, Utf8, vectorFromArray, type Vector } from "apache-arrow";
import { individualsParams, type IndividualsScope } from "../auth/scope.server.ts";
import type { Db } from "../db/database.server.ts";
import { loadSql } from "../db/sql-files.server.ts";
import { withProgramMarts } from "../metrics/schema.server.ts";
import { filterParams, NO_FILTERS, type Filters } from "../domain/filters.ts";

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
    const vectors: Record<string, Vector> = {};
    for (const [name, values] of Object.entries(columns)) vectors[name] = columnVector(name, values);
    const ipc = tableToIPC(new Table(vectors), "stream") as Uint8Array<ArrayBuffer>;
    return { ipc, rows: rowCount };
  });
}

/** The Arrow vector of one column, of the type `tableFromArrays` gives it. */
function columnVector(name: string, values: unknown[]): Vector {
  // Non-null numeric columns become typed arrays (Arrow's Float64/Int32).
  if (values.every((v) => typeof v === "number")) {
    return makeVector(name.startsWith("count_") || name.endsWith("_years") ? Int32Array.from(values as number[]) : Float64Array.from(values as number[]));
  }
  const present = values.some((v) => v !== null);
  if (present && values.every((v) => v === null || typeof v === "string")) return dictionaryUtf8(values as (string | null)[]);
  if (present && values.every((v) => v === null || typeof v === "boolean")) return booleans(values as (boolean | null)[]);
  return vectorFromArray(values);
}

/** A validity bitmap (bit set: not null), padded to 8 bytes as Arrow pads buffers. */
function validity(length: number): Uint8Array {
  return new Uint8Array(((length + 63) >> 6) << 3);
}

const utf8 = new TextEncoder();

/** Text as Dictionary<Int32, Utf8>, the values in the order first met (as Arrow's builder). */
function dictionaryUtf8(values: readonly (string | null)[]): Vector {
  const length = values.length;
  const codes = new Int32Array(length);
  const bitmap = validity(length);
  const index = new Map<string, number>();
  const unique: string[] = [];
  let nulls = 0;
  for (let i = 0; i < length; i++) {
    const value = values[i];
    if (value === null) {
      nulls++;
      continue;
    }
    bitmap[i >> 3] |= 1 << (i & 7);
    let code = index.get(value);
    if (code === undefined) {
      code = unique.length;
      index.set(value, code);
      unique.push(value);
    }
    codes[i] = code;
  }
  const offsets = new Int32Array(unique.length + 1);
  const bytes = unique.map((value) => utf8.encode(value));
  const data = new Uint8Array(bytes.reduce((sum, b) => sum + b.byteLength, 0));
  let position = 0;
  for (const [j, b] of bytes.entries()) {
    offsets[j] = position;
    data.set(b, position);
    position += b.byteLength;
  }
  offsets[unique.length] = position;
  const dictionary = makeVector(makeData({ type: new Utf8(), length: unique.length, nullCount: 0, valueOffsets: offsets, data }));
  return makeVector(makeData({ type: new Dictionary(new Utf8(), new Int32()), length, nullCount: nulls, nullBitmap: bitmap, data: codes, dictionary }));
}

/** Booleans (and nulls) as Bool: one bit per value. */
function booleans(values: readonly (boolean | null)[]): Vector {
  const length = values.length;
  const bits = validity(length);
  const bitmap = validity(length);
  let nulls = 0;
  for (let i = 0; i < length; i++) {
    const value = values[i];
    if (value === null) {
      nulls++;
      continue;
    }
    bitmap[i >> 3] |= 1 << (i & 7);
    if (value) bits[i >> 3] |= 1 << (i & 7);
  }
  return makeVector(makeData({ type: new Bool(), length, nullCount: nulls, nullBitmap: bitmap, data: bits }));
}
