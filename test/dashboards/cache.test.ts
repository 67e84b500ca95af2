import { describe, expect, it } from "vitest";
import { cachedByDataVersion, clearPageCache } from "../../analytics/dashboards/cache.server.ts";
import { withMemoryDatabase } from "../../analytics/db/database.server.ts";
import { loadFixture } from "../metrics/helpers.ts";

describe("page data cache", () => {
  it("computes once per key and data version; a data change or an error recomputes", async () => {
    clearPageCache();
    await withMemoryDatabase(async (db) => {
      await loadFixture(db, "octave");
      let calls = 0;
      const compute = async () => ++calls;
      expect(await cachedByDataVersion(db, "P1", ["page", 1], compute)).toBe(1);
      expect(await cachedByDataVersion(db, "P1", ["page", 1], compute)).toBe(1);
      expect(await cachedByDataVersion(db, "P1", ["page", 2], compute)).toBe(2);
      // Concurrent requests share one computation.
      const [a, b] = await Promise.all([cachedByDataVersion(db, "P1", "same", compute), cachedByDataVersion(db, "P1", "same", compute)]);
      expect([a, b]).toEqual([3, 3]);
      // The program's data changes: a new version, a new computation.
      await db.run("delete from participants where program_id = 'P1' and participant_id = (select min(participant_id) from participants where program_id = 'P1')");
      await new Promise((done) => setTimeout(done, 300)); // the version is re-read after 250 ms
      expect(await cachedByDataVersion(db, "P1", ["page", 1], compute)).toBe(4);
      // A failure is not kept.
      await expect(cachedByDataVersion(db, "P1", "fails", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
      expect(await cachedByDataVersion(db, "P1", "fails", compute)).toBe(5);
    });
  });
});
