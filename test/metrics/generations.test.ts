import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applySchema, openDatabase, type Db } from "../../analytics/db/database.server.ts";
import {
  GENERATIONS,
  ageAtStart,
  ageGapYears,
  generationLabel,
  generationOf,
  isCrossGeneration,
  isOutsideCore,
} from "../../analytics/domain/generations.ts";
import { applyMetricViews, warmProgramMarts } from "../../analytics/metrics/schema.server.ts";

describe("generation rules (analytics/domain/generations.ts)", () => {
  it("puts each boundary year in the right generation", () => {
    expect(generationOf(1930)).toBe("boomers");
    expect(generationOf(1964)).toBe("boomers");
    expect(generationOf(1965)).toBe("gen_x");
    expect(generationOf(1980)).toBe("gen_x");
    expect(generationOf(1981)).toBe("millennials");
    expect(generationOf(1996)).toBe("millennials");
    expect(generationOf(1997)).toBe("gen_z");
    expect(generationOf(2010)).toBe("gen_z");
    expect(GENERATIONS.map((g) => generationLabel(g.key))).toEqual(["Boomers", "Gen X", "Millennials", "Gen Z"]);
  });

  it("computes age at start from the start year, and the 30–50 core inclusive", () => {
    expect(ageAtStart(1995, "2025-01-01")).toBe(30);
    expect(ageAtStart(1995, "2025-12-31")).toBe(30);
    expect(ageAtStart(1995, new Date(Date.UTC(2025, 5, 1)))).toBe(30);
    expect([29, 30, 50, 51].map(isOutsideCore)).toEqual([true, false, false, true]);
  });

  it("computes the age gap and the cross-generation flag symmetrically", () => {
    expect(ageGapYears(1960, 1995)).toBe(35);
    expect(ageGapYears(1995, 1960)).toBe(35);
    expect(isCrossGeneration(1964, 1965)).toBe(true);
    expect(isCrossGeneration(1965, 1980)).toBe(false);
  });

  it("names the bad value", () => {
    expect(() => generationOf(1980.5)).toThrow("invalid birth year: 1980.5");
    expect(() => ageAtStart(1980, "01/03/2025")).toThrow('invalid start date: "01/03/2025"');
    expect(() => generationLabel("genx" as never)).toThrow('invalid generation key: "genx"');
  });
});

describe("the SQL marts agree with the TypeScript rules for every birth year 1930–2010", () => {
  let db: Db;
  const years = Array.from({ length: 2010 - 1930 + 1 }, (_, i) => 1930 + i);
  const start = "2025-03-01";

  beforeAll(async () => {
    db = await openDatabase(":memory:");
    await applySchema(db);
    await db.run(
      "insert into programs (program_id, name, kind, start_date, end_date, currency) values ('G', 'Generations', 'intra', $start::date, date '2025-12-31', 'EUR')",
      { start },
    );
    await db.run("insert into organizations values ('O', 'Org', null)");
    // One participant per birth year; person i mentors person (80 − i), so every gap from 0 to 80
    // appears and both sides of each generation boundary are paired.
    await db.run(
      `insert into participants
       select 'G', 'P' || y, 'O', case when y < 1970 then 'mentor' else 'mentee' end, y, null, null, null,
              null, null, date '2025-01-01', null
       from range(1930, 2011) t(y)`,
    );
    await db.run(
      `insert into pairs
       select 'G', 'R' || y, 'P' || y, 'P' || (3940 - y), date '2025-03-01', null, 'active', null, null, null
       from range(1930, 2011) t(y)`,
    );
    await applyMetricViews(db);
    await warmProgramMarts(db, "G");
  });
  afterAll(() => db.close());

  it("mart_participants: generation, age at start, outside core", async () => {
    const rows = await db.all<{ birth_year: number; generation: string; age_at_start_years: number; is_outside_core: boolean }>(
      "select birth_year, generation, age_at_start_years, is_outside_core from mart_participants('G') order by birth_year",
    );
    expect(rows.map((r) => r.birth_year)).toEqual(years);
    expect(rows).toEqual(
      years.map((y) => ({
        birth_year: y,
        generation: generationOf(y),
        age_at_start_years: ageAtStart(y, start),
        is_outside_core: isOutsideCore(ageAtStart(y, start)),
      })),
    );
  });

  it("mart_pairs (materialized): generations of both sides, age gap, cross-generation flag", async () => {
    const rows = await db.all<Record<string, unknown>>(
      `select p.birth_year as mentor_year, e.birth_year as mentee_year, mentor_generation, mentee_generation,
              age_gap_years, is_cross_generation
       from metrics_pairs m
       join participants p on p.program_id = 'G' and p.participant_id = m.mentor_id
       join participants e on e.program_id = 'G' and e.participant_id = m.mentee_id
       where m.program_id = 'G'
       order by mentor_year`,
    );
    expect(rows).toHaveLength(years.length);
    for (const r of rows) {
      const mentor = r.mentor_year as number;
      const mentee = r.mentee_year as number;
      expect(r).toEqual({
        mentor_year: mentor,
        mentee_year: mentee,
        mentor_generation: generationOf(mentor),
        mentee_generation: generationOf(mentee),
        age_gap_years: ageGapYears(mentor, mentee),
        is_cross_generation: isCrossGeneration(mentor, mentee),
      });
    }
  });
});
