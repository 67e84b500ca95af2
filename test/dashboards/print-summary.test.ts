import { describe, expect, it } from "vitest";
import type { Headline, OrganizationComparison } from "../../analytics/dashboards/overview.server.ts";
import type { ImpactFigures } from "../../analytics/impact/estimate.ts";
import { printSummary, type SummaryInput } from "../../app/pages/print-summary.ts";

// Issue 14, item 10: the printed brief opens with a paragraph written from the figures, in
// English and French, counts through the plural rules; a hidden or missing figure drops its
// sentence instead of printing "null", "NaN" or a misleading 0.
const NBSP = /[\u00a0\u202f]/g;
const plain = (lines: string[]) => lines.join(" ").replace(NBSP, " ");

const headline: Headline = {
  participants: 105,
  mentors: 50,
  mentees: 55,
  organizations: 6,
  match_rate: 0.909,
  pairs: 50,
  active_pairs: 0,
  completed_pairs: 39,
  ended_early_pairs: 11,
  topics_targeted: 132,
  topics_acquired: 81,
  topic_completion_rate: 0.614,
  midpoint_satisfaction_mean: 4.2834,
  final_satisfaction_mean: 4.46,
  cost_per_matched_mentee: 713.2,
  cross_generation_pair_rate: 0.84,
  median_age_gap_years: 18,
};
const organization: OrganizationComparison = {
  own: { group: "BEAUMANOIR", label: "Laiteries Beaumanoir", participants: 29, pairs: 24, topic_completion_rate: 0.69, midpoint_satisfaction_mean: 4.16, cost_per_matched_mentee: 668.4 },
  others: { group: "others", label: null, participants: 76, pairs: 47, topic_completion_rate: 0.58, midpoint_satisfaction_mean: 4.33, cost_per_matched_mentee: 730 },
  program: { group: "program", label: null, participants: 105, pairs: 50, topic_completion_rate: 0.614, midpoint_satisfaction_mean: 4.28, cost_per_matched_mentee: 713.2 },
  money_hidden: false,
};
const impact = {
  status: "ok",
  horizon_months: 12,
  retention: { status: "ok", effect: 0.0194, ci95: [-0.06, 0.087] },
} as unknown as ImpactFigures;
const base: SummaryInput = { headline, currency: "EUR", band: { low: 600, high: 3600 }, organization: null, impact: null };

describe("the print summary", () => {
  it("writes the program's figures in English", () => {
    expect(plain(printSummary(base, "en"))).toBe(
      "105 participants from 6 organizations formed 50 pairs, so 90.9% of the mentees were matched. " +
        "Of these pairs, 0 are active, 39 completed and 11 ended early. " +
        "Mentees acquired 81 of the 132 topics they targeted (61.4%). " +
        "Mid-point satisfaction averages 4.28 out of 5. " +
        "A matched mentee cost €713, within the market band of offline mentoring (€600–€3,600).",
    );
  });

  it("writes them in French, with French numbers", () => {
    const fr = plain(printSummary(base, "fr"));
    expect(fr).toContain("105 participants de 6 organisations ont formé 50 binômes : 90,9 % des mentorés ont été appariés.");
    expect(fr).toContain("La satisfaction à mi-parcours est en moyenne de 4,28 sur 5.");
    expect(fr).toContain("Un mentoré apparié a coûté 713 €, dans la fourchette du marché du mentorat en présentiel (600 €–3 600 €).");
  });

  it("puts the reader's organization beside the program, and the impact with its interval", () => {
    const en = plain(printSummary({ ...base, organization, impact }, "en"));
    expect(en).toContain("Your organization (Laiteries Beaumanoir) brought 29 participants and 24 pairs; a matched mentee cost it €668, against €713 across the program.");
    expect(en).toContain("still employed 12 months after the start differs by +1.9 pts (95% interval −6 pts to +8.7 pts).");
    const fr = plain(printSummary({ ...base, organization, impact }, "fr"));
    expect(fr).toContain("Votre organisation (Laiteries Beaumanoir) compte 29 participants et 24 binômes ; un mentoré apparié lui a coûté 668 €, contre 713 € sur l’ensemble du programme.");
    expect(fr).toContain("diffère de +1,9 pts (intervalle à 95 % de −6 pts à +8,7 pts).");
  });

  it("counts follow the plural rules of each language", () => {
    const one = { ...headline, participants: 1, organizations: 1, pairs: 1 };
    expect(printSummary({ ...base, headline: one }, "en")[0]).toBe("1 participant from 1 organization formed 1 pair, so 90.9% of the mentees were matched.");
    expect(printSummary({ ...base, headline: one }, "fr")[0].replace(NBSP, " ")).toBe("1 participant de 1 organisation a formé 1 binôme : 90,9 % des mentorés ont été appariés.");
    expect(printSummary({ ...base, headline: { ...headline, pairs: 0, active_pairs: 0, completed_pairs: 0, ended_early_pairs: 0 } }, "fr")[0]).toContain("0 binôme");
  });

  it("drops the sentence of a hidden or missing figure, never printing null", () => {
    const hidden = { ...headline, cost_per_matched_mentee: null, midpoint_satisfaction_mean: null };
    const ownHidden = { ...organization, own: { ...organization.own, cost_per_matched_mentee: null } };
    const text = plain(printSummary({ ...base, headline: hidden, band: null, organization: ownHidden, impact: { ...impact, retention: { status: "insufficient_data", effect: null, ci95: null } } as unknown as ImpactFigures }, "en"));
    expect(text).not.toMatch(/null|NaN|undefined|–/);
    expect(text).not.toContain("cost");
    expect(text).not.toContain("satisfaction");
    expect(text).not.toContain("employed");
    expect(text).toContain("Your organization (Laiteries Beaumanoir) brought 29 participants and 24 pairs.");
    expect(printSummary({ ...base, headline: { ...headline, cost_per_matched_mentee: 3900 } }, "en").at(-1)).toContain("above the market band");
    expect(printSummary({ ...base, band: null }, "en").at(-1)).toBe("A matched mentee cost €713.");
  });
});
