import { describe, expect, it } from "vitest";
import { cachedByDataVersion, clearPageCache, MAX_WEIGHED_BYTES } from "../../analytics/metrics/cache.server.ts";
import { runTransaction, withMemoryDatabase } from "../../analytics/db/database.server.ts";
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

  it("a value its keep test refuses is shared while it is computed, then not kept (a provisional page)", async () => {
    clearPageCache();
    await withMemoryDatabase(async (db) => {
      await loadFixture(db, "octave");
      let calls = 0;
      const compute = async () => ({ n: ++calls, provisional: calls === 1 });
      const keep = (v: { provisional: boolean }) => !v.provisional;
      const [a, b] = await Promise.all([cachedByDataVersion(db, "P1", "p", compute, undefined, keep), cachedByDataVersion(db, "P1", "p", compute, undefined, keep)]);
      expect([a.n, b.n]).toEqual([1, 1]);
      // Resolved provisional: forgotten, so the next request computes the final value, which is kept.
      expect((await cachedByDataVersion(db, "P1", "p", compute, undefined, keep)).n).toBe(2);
      expect((await cachedByDataVersion(db, "P1", "p", compute, undefined, keep)).n).toBe(2);
    });
  });

  it("a transaction that ends in this process is seen at once, without waiting for the version's 250 ms", async () => {
    // A web import's job says "done" right after its COMMIT: the report asked then must be the new one.
    clearPageCache();
    await withMemoryDatabase(async (db) => {
      await loadFixture(db, "octave");
      let calls = 0;
      const compute = async () => ++calls;
      expect(await cachedByDataVersion(db, "P1", "report", compute)).toBe(1);
      await runTransaction(db, () => db.run("delete from pairs where program_id = 'P1' and pair_id = (select min(pair_id) from pairs where program_id = 'P1')"));
      expect(await cachedByDataVersion(db, "P1", "report", compute)).toBe(2);
      // Without a write, the version read a moment ago is reused (one read per request).
      expect(await cachedByDataVersion(db, "P1", "report", compute)).toBe(2);
    });
  });

  it("entries that say their size share a budget: past it, the least recently used go first", async () => {
    clearPageCache();
    await withMemoryDatabase(async (db) => {
      await loadFixture(db, "octave");
      let calls = 0;
      const big = (name: string) => cachedByDataVersion(db, "P1", ["big", name], async () => ({ n: ++calls }), () => 0.4 * MAX_WEIGHED_BYTES);
      const first = await big("a");
      await big("b");
      expect(await big("a")).toBe(first); // a: used last
      expect(calls).toBe(2);
      const small = await cachedByDataVersion(db, "P1", "small", async () => ++calls);
      await big("c"); // over the budget: b (least recently used) goes, a stays, unweighed entries stay
      await new Promise((done) => setTimeout(done, 0));
      expect(await big("a")).toBe(first);
      expect(await cachedByDataVersion(db, "P1", "small", async () => ++calls)).toBe(small);
      const before = calls;
      await big("b");
      expect(calls).toBe(before + 1);
    });
  });
});
