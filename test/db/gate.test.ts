import { describe, expect, it } from "vitest";
import { StatementGate, statementKind } from "../../analytics/db/gate.server.ts";

const tick = () => new Promise((r) => setTimeout(r, 5));

describe("the statement gate of the server's online rebuild", () => {
  it("counts only plain SELECT/FROM/WITH statements as reads", () => {
    expect(statementKind("-- a comment\n/* another */ select 1")).toBe("read");
    expect(statementKind("with x as (select 1) select * from x")).toBe("read");
    expect(statementKind("from programs")).toBe("read");
    for (const sql of [
      "insert into t values (1)",
      "update sessions set last_seen = now()",
      "delete from t",
      "with x as (select 1) insert into t select * from x",
      "select nextval('s')",
      "create temp table if not exists m as select 1",
      "checkpoint",
      "begin transaction",
    ]) {
      expect(statementKind(sql), sql).toBe("write");
    }
  });

  it("lets reads run during the copy and holds writes; holds everything during the swap; the held ones run after", async () => {
    const gate = new StatementGate();
    const events: string[] = [];
    let finishCopy!: () => void;
    let finishSwap!: () => void;
    let inFlightWrite!: () => void;
    // A write already running when the maintenance starts: the copy waits for it.
    const running = gate.pass("write", () => new Promise<void>((r) => (inFlightWrite = r)).then(() => void events.push("write in flight done")));
    const maintenance = gate.maintain(
      async () => {
        events.push("copy");
        await new Promise<void>((r) => (finishCopy = r));
      },
      async () => {
        events.push("swap");
        await new Promise<void>((r) => (finishSwap = r));
        return "swapped";
      },
    );
    await tick();
    expect(events).toEqual([]);
    inFlightWrite();
    await running;
    await tick();
    expect(events).toEqual(["write in flight done", "copy"]);

    const read = gate.pass("read", async () => void events.push("read during copy"));
    const write = gate.pass("write", async () => void events.push("write held"));
    await read;
    await tick();
    expect(events).toEqual(["write in flight done", "copy", "read during copy"]);

    finishCopy();
    await tick();
    const heldRead = gate.pass("read", async () => void events.push("read held"));
    await tick();
    expect(events.at(-1)).toBe("swap");
    expect(gate.isHeld).toBe(true);

    finishSwap();
    expect(await maintenance).toBe("swapped");
    await Promise.all([write, heldRead]);
    expect(events.slice(-2).sort()).toEqual(["read held", "write held"]);
    expect(gate.isHeld).toBe(false);
  });

  it("opens again when the copy fails, without swapping", async () => {
    const gate = new StatementGate();
    let swapped = false;
    await expect(
      gate.maintain(
        async () => {
          throw new Error("copy failed");
        },
        async () => {
          swapped = true;
        },
      ),
    ).rejects.toThrow("copy failed");
    expect(swapped).toBe(false);
    expect(await gate.pass("write", async () => 1)).toBe(1);
  });
});
