// Means withheld consistently across views (analytics/privacy/means.ts).
import { describe, expect, it } from "vitest";
import { withheldMeans, type MeanView } from "../../analytics/privacy/means.ts";

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe("withheld means", () => {
  it("an organization's mentees' mean, withheld, is not left as the members' mean minus the mentors'", () => {
    // Answers 0–5 are the organization's mentors', 6–8 its mentees' (fewer than k: withheld).
    const views: MeanView[] = [
      { key: "members", answers: range(0, 9), withheld: false, priority: 90 },
      { key: "mentors", answers: range(0, 6), withheld: false, priority: 40 },
      { key: "mentees", answers: range(6, 9), withheld: true, priority: 40 },
    ];
    // members − mentors = mentees: the less important published mean gives way.
    expect([...withheldMeans(views)].sort()).toEqual(["mentees", "mentors"]);
  });

  it("one block's mean is not left as the difference of two windows", () => {
    // Blocks A (0–9), B (10–19), C (20–21, withheld); windows A, A+B, A+B+C, B+C, B.
    const views: MeanView[] = [
      { key: "A", answers: range(0, 10), withheld: false, priority: 40 },
      { key: "B", answers: range(10, 20), withheld: false, priority: 40 },
      { key: "C", answers: range(20, 22), withheld: true, priority: 40 },
      { key: "A+B", answers: range(0, 20), withheld: false, priority: 30 },
      { key: "A+B+C", answers: range(0, 22), withheld: false, priority: 100 },
      { key: "B+C", answers: range(10, 22), withheld: false, priority: 30 },
    ];
    const out = withheldMeans(views);
    expect(out.has("C")).toBe(true);
    expect(out.has("A+B+C")).toBe(false); // the program's mean is the last to go
    // What remains gives no C: A and B + C (= all − A) are shown, B alone is not.
    const published = views.filter((v) => !out.has(v.key)).map((v) => v.key).sort();
    expect(published).toEqual(["A", "A+B+C", "B+C"]);
  });

  it("keeps every mean when the withheld one is no combination of the others", () => {
    // The mentees' answers 6–8 and the mentors' 0–5 are only ever shown together or apart with
    // the withheld one: nothing published separates them.
    const views: MeanView[] = [
      { key: "all", answers: range(0, 9), withheld: false, priority: 100 },
      { key: "mentees", answers: range(6, 9), withheld: true, priority: 40 },
      { key: "other", answers: range(3, 9), withheld: false, priority: 40 },
    ];
    expect([...withheldMeans(views)]).toEqual(["mentees"]);
  });

  it("withholds nothing more when nothing is withheld, and ignores views with no answer", () => {
    const views: MeanView[] = [
      { key: "a", answers: [0, 1], withheld: false, priority: 1 },
      { key: "b", answers: [], withheld: true, priority: 1 },
    ];
    expect([...withheldMeans(views)]).toEqual(["b"]);
    expect(withheldMeans([{ key: "a", answers: [0], withheld: false, priority: 1 }]).size).toBe(0);
  });
});
