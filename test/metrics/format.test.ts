import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../analytics/db/database.server.ts";
import { escapeFormula, formatCsv, formatMarkdown, toCsvCell } from "../../analytics/report/format.ts";
import { getProgramReport, type ProgramReport } from "../../analytics/report/report.server.ts";
import { openFixtureDb } from "./helpers.ts";

let db: Db;
let p1: ProgramReport;
let p2: ProgramReport;
beforeAll(async () => {
  db = await openFixtureDb();
  p1 = (await getProgramReport(db, "P1", { asOf: "2025-05-15" }))!;
  p2 = (await getProgramReport(db, "P2", { asOf: "2025-06-15" }))!;
});
afterAll(() => db.close());

describe("CSV", () => {
  it("guards text cells against formula injection; numbers stay numbers", () => {
    expect(["=1+1", "+33 6", "-x", "@SUM(A1)", "\tx", "ok", "2025-01-01"].map(escapeFormula)).toEqual([
      "'=1+1", "'+33 6", "'-x", "'@SUM(A1)", "'\tx", "ok", "2025-01-01",
    ]);
    expect([toCsvCell(-5), toCsvCell(0.5), toCsvCell(null), toCsvCell(true), toCsvCell('a,"b"'), toCsvCell("=a,b")]).toEqual([
      "-5", "0.5", "", "true", '"a,""b"""', "\"'=a,b\"",
    ]);
  });

  it("has the agreed columns and one line per value", () => {
    const csv = formatCsv(p1);
    const lines = csv.trimEnd().split("\n");
    expect(lines[0]).toBe("section,group,metric,value,suppressed");
    expect(lines).toContain("program,,program_id,P1,false");
    expect(lines).toContain("report,,as_of,2025-05-15,false");
    expect(lines).toContain("report,,k,,false");
    expect(lines).toContain("participants,,total,16,false");
    expect(lines).toContain("costs,,total,5000,false");
    expect(lines).toContain("costs,,market_band_per_mentee.low,600,false");
    expect(lines).toContain("quality,,final_satisfaction_mean,4,false");
    expect(lines).toContain("by_organization,ORG-C,label,'=Gamma Corp,false");
    expect(lines).toContain("by_organization,ORG-C,participants,4,false");
    expect(lines).toContain(`by_gender,M,midpoint_satisfaction_mean,${10 / 3},false`);
    // 5 program + 5 report + 5 + 6 + 7 + 4 + 4 + 3 generations + 7 costs + 5 lines per breakdown
    // row (label + 4 figures) × (3 + 4 + 4 + 2 + 5 + 5 rows).
    expect(lines.length - 1).toBe(6 + 5 + 5 + 6 + 7 + 4 + 4 + 3 + 7 + 5 * 23);
  });

  it("in French: the same values with ';', a decimal comma and a byte-order mark", () => {
    const en = formatCsv(p1).trimEnd().split("\n");
    const fr = formatCsv(p1, "fr");
    expect(fr.startsWith("\uFEFF")).toBe(true);
    const lines = fr.slice(1).trimEnd().split("\n");
    expect(lines.length).toBe(en.length);
    expect(lines[0]).toBe("section;group;metric;value;suppressed");
    expect(lines).toContain("participants;;total;16;false");
    expect(lines).toContain(`by_gender;M;midpoint_satisfaction_mean;${String(10 / 3).replace(".", ",")};false`);
    expect(lines).toContain("by_organization;ORG-C;label;'=Gamma Corp;false");
  });

  it("writes null as an empty value", () => {
    const lines = formatCsv(p2).trimEnd().split("\n");
    expect(lines).toContain("costs,,total,,false");
    expect(lines).toContain("quality,,early_termination_rate,,false");
  });
});

describe("Markdown", () => {
  it("is a one-page summary with every section", () => {
    const md = formatMarkdown(p1);
    expect(md.startsWith("# Octave test (P1)\n")).toBe(true);
    for (const heading of ["## Key figures", "## Generations", "## Costs", "## Breakdowns", "### By organization", "### By gender"]) {
      expect(md).toContain(heading);
    }
    expect(md).toContain("| Participants (mentors / mentees) | 16 (6 / 10) |");
    expect(md).toContain("| Matched mentees (match rate) | 7 (70 %) |");
    expect(md).toContain("Total 5,000.00 EUR");
    expect(md).toContain("(market band 600–3,600 EUR)");
    expect(md.split("\n").length).toBeLessThan(90);
  });

  it("says n/a for what cannot be computed", () => {
    const md = formatMarkdown(p2);
    expect(md).toContain("| Early termination rate | n/a |");
    expect(md).toContain("Total n/a");
  });
});
