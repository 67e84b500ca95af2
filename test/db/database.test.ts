import { describe, expect, it } from "vitest";
import { SCHEMA_VERSION, withMemoryDatabase } from "../../analytics/db/database.server.ts";

describe("toPlainRows: DuckDB values at the boundary", () => {
  it("turns BIGINT, HUGEINT and DECIMAL into numbers, keeps null, formats dates", async () => {
    await withMemoryDatabase(async (db) => {
      const rows = await db.all(
        `select 42::bigint as n, 12345678901::hugeint as h, 1234.50::decimal(18, 2) as money,
                null::bigint as missing, date '2025-03-01' as d, 'x' as s, 2.5::double as f`,
      );
      expect(rows).toEqual([{ n: 42, h: 12345678901, money: 1234.5, missing: null, d: "2025-03-01", s: "x", f: 2.5 }]);
      expect(() => JSON.stringify(rows)).not.toThrow();
    });
  });

  it("creates every table and records the schema version once", async () => {
    await withMemoryDatabase(async (db) => {
      const tables = await db.all<{ name: string }>(
        "select table_name as name from information_schema.tables order by 1",
      );
      expect(tables.map((t) => t.name)).toEqual(
        expect.arrayContaining(["costs", "evaluations", "meetings", "organizations", "pair_topics", "pairs", "participants", "programs", "schema_meta", "topics"]),
      );
      const meta = await db.all("select schema_version from schema_meta");
      expect(meta).toEqual([{ schema_version: SCHEMA_VERSION }]);
    });
  });
});
