/**
 * Values echoed back to a person are capped (issue 14 item 8): a malformed file's header can be
 * one "column name" of thousands of characters; the page and the CLI show it cut, through one
 * helper (capEcho / capText).
 */
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { capEcho, capText, formatProblem, MAX_ECHO_CHARS, MAX_VALUE_CHARS, quoteValue } from "../../analytics/ingest/problems.ts";
import { exportCopy, tempDir } from "./helpers.ts";

const long = "abcdefgh".repeat(5000);

describe("capping echoed values", () => {
  it("capText cuts at 80 code points with an ellipsis, and leaves shorter text alone", () => {
    expect(capText("short")).toBe("short");
    expect(capText("x".repeat(MAX_VALUE_CHARS))).toBe("x".repeat(MAX_VALUE_CHARS));
    expect(capText("x".repeat(MAX_VALUE_CHARS + 1))).toBe("x".repeat(MAX_VALUE_CHARS) + "…");
    // Code points, not UTF-16 units: an emoji is not split in half.
    const emoji = "😀".repeat(100);
    expect(Array.from(capText(emoji))).toHaveLength(MAX_VALUE_CHARS + 1);
    expect(capText(emoji).endsWith("😀…")).toBe(true);
  });

  it("capEcho cuts each quoted value in a message at 80 characters and the whole at 300", () => {
    const warning = `meetings.csv: unknown column ${JSON.stringify(long)} ignored`;
    const capped = capEcho(warning);
    expect(capped).toBe(`meetings.csv: unknown column ${JSON.stringify(long.slice(0, MAX_VALUE_CHARS) + "…")} ignored`);
    expect(capEcho("a".repeat(1000))).toBe("a".repeat(MAX_ECHO_CHARS) + "…");
    expect(capEcho('a "quoted" value')).toBe('a "quoted" value');
    // A quote that never closes: only the whole is cut.
    expect(capEcho(`x "${long}`).length).toBe(MAX_ECHO_CHARS + 1);
  });

  it("formatProblem caps the column, the message and the value", () => {
    const line = formatProblem({ file: "a.csv", line: 1, row: null, column: long, message: `bad ${JSON.stringify(long)}`, value: long });
    expect(line.length).toBeLessThan(400);
    expect(line).toBe(`a.csv:1: ${long.slice(0, 80)}…: bad "${long.slice(0, 80)}…" (${quoteValue(long)})`);
  });

  it("the CLI prints a warning about a column of 40,000 characters cut to a line of less than 200", () => {
    const header = "meeting_id,pair_id," + long + ",date,mode,duration_minutes";
    const dir = exportCopy("basic", { "meetings.csv": `${header}\nM1,B1,x,2025-02-01,offline,60\n` });
    const db = join(tempDir(), "t.duckdb");
    const run = spawnSync(process.execPath, [resolve("node_modules/tsx/dist/cli.mjs"), resolve("cli/ingest.ts"), "--db", db, "--dry-run", dir], { encoding: "utf8", env: { ...process.env, TZ: "UTC" } });
    const lines = run.stderr.split("\n").filter((l) => l.includes("unknown column"));
    expect(lines).toEqual([`warning: meetings.csv: unknown column "${long.slice(0, 80)}…" ignored`]);
    for (const l of (run.stdout + run.stderr).split("\n")) expect(l.length).toBeLessThan(400);
  });
});
