// Consistent hiding of breakdown categories across views (analytics/privacy/consistent.ts).
import { describe, expect, it } from "vitest";
import { closeHidden, consistentHidden } from "../../analytics/privacy/consistent.ts";

const rows = (counts: Record<string, number>) => Object.entries(counts).map(([key, people]) => ({ key, people }));

describe("consistent hiding", () => {
  it("a score hidden in the mentees' view is hidden in the program's and the mentors' too", () => {
    // Whole program: 3 → 10 answers (shown alone); mentors: 3 → 6; mentees: 3 → 4 (hidden).
    // Per view, the program's minus the mentors' gives the mentees' 4.
    const program = rows({ "1": 0, "2": 6, "3": 10, "4": 20, "5": 30 });
    const mentors = rows({ "1": 0, "2": 6, "3": 6, "4": 10, "5": 14 });
    const mentees = rows({ "1": 0, "2": 0, "3": 4, "4": 10, "5": 16 });
    expect([...closeHidden(mentees, new Set(), 5)].sort()).toEqual(["3", "4"]);
    expect(closeHidden(program, new Set(), 5).size).toBe(0); // the leak, per view
    const hidden = consistentHidden([program, mentors, mentees], 5);
    expect([...hidden].sort()).toEqual(["3", "4"]);
    for (const view of [program, mentors, mentees]) expect([...closeHidden(view, hidden, 5)].sort()).toEqual(["3", "4"]);
  });

  it("grows to a fixed point: what one view adds to protect a forced category, every view hides", () => {
    const a = rows({ x: 2, y: 9, z: 20 });
    const b = rows({ x: 9, y: 30, z: 6 });
    // a hides x (2) and y (the smallest shown); b then hides x, y and — to reach k together — nothing more (39 ≥ 5).
    expect([...consistentHidden([a, b], 5)].sort()).toEqual(["x", "y"]);
  });

  it("hides nothing when every category of every view holds k people or none", () => {
    expect(consistentHidden([rows({ a: 5, b: 0 }), rows({ a: 7, b: 9 })], 5).size).toBe(0);
  });
});
