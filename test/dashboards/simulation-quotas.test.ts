/** The Simulations page's quota form and view (issue 15, item 3). */
import { describe, expect, it } from "vitest";
import { quotasView } from "../../analytics/dashboards/simulations.server.ts";
import { parseSimulationRequest } from "../../analytics/matching/jobs.server.ts";
import type { QuotaReport } from "../../analytics/matching/quota-run.ts";
import { QUOTA_NAMES } from "../../analytics/matching/quotas.ts";
import { QUOTA_NAMES as FORM_QUOTAS } from "../../analytics/matching/simulation-options.ts";
import { quotaReasonText, type QuotaReason } from "../../analytics/matching/reasons.ts";
import { quotaReasonLine } from "../../app/components/simulations/SimulationResult.tsx";
import { formatNumber } from "../../app/i18n/format.ts";
import type { MessageKey } from "../../app/i18n/messages.ts";
import { simulationsMessages } from "../../app/i18n/pages/simulations.ts";
import { pageTranslator, translate } from "../../app/i18n/translate.ts";

const form = (entries: [string, string][]) => {
  const f = new FormData();
  for (const [k, v] of entries) f.append(k, v);
  return f;
};

describe("quotas on the Simulations page", () => {
  it("offers the quotas the solver knows, reads them as percentages, and refuses a bad one", () => {
    expect([...FORM_QUOTAS]).toEqual([...QUOTA_NAMES]);
    const request = parseSimulationRequest(form([["strategy", "optimal"], ["q_cross_generation", "90"], ["q_cross_company", ""], ["q_generation_coverage", "75,5"]]));
    expect(request.quotas).toEqual({ cross_generation: 0.9, generation_coverage: 0.755 });
    expect(parseSimulationRequest(form([["strategy", "optimal"]])).quotas).toBeUndefined();
    expect(() => parseSimulationRequest(form([["strategy", "optimal"], ["q_cross_company", "120"]]))).toThrow(/percentage from 0 to 100/);
  });

  it("shows a non-admin the prices but no group named in an infeasibility reason", () => {
    const report: QuotaReport = {
      quotas: { organization_coverage: 1 },
      note: null,
      strategies: [
        {
          strategy: "optimal",
          prices: [
            {
              quota: "organization_coverage",
              status: "infeasible",
              reasons: [
                "organization_coverage: organization ORG-A has 2 mentees; at most 0 can be matched (allowed mentors and capacities), the quota needs 2",
                "organization_coverage: organization ORG-B has 3 mentees; at most 1 can be matched (allowed mentors and capacities), the quota needs 3",
              ],
              details: [
                { code: "group_unreachable", quota: "organization_coverage", dimension: "organization", group: "ORG-A", mentees: 2, reachable: 0, need: 2 },
                { code: "group_unreachable", quota: "organization_coverage", dimension: "organization", group: "ORG-B", mentees: 3, reachable: 1, need: 3 },
              ],
              pairs: null,
              expected_successes: null,
              price: null,
              price_interval: null,
            },
          ],
        },
      ],
    };
    expect(quotasView(report, "admin")).toBe(report);
    const seen = JSON.stringify(quotasView(report, "sponsor"));
    expect(seen).not.toContain("ORG-A");
    expect(seen).not.toContain("ORG-B");
    expect(seen).toContain("the mentees of a group cannot all be reached");
    // The reasons as data too: one line for the quota, without the groups or their counts.
    expect(quotasView(report, "rse")!.strategies[0].prices[0].details).toEqual([{ code: "group_unreachable_general", quota: "organization_coverage" }]);
  });

  it("says each reason in the reader's language, naming the quota on the all-together row", () => {
    const en = { pt: pageTranslator(simulationsMessages, "en"), number: (v: number) => formatNumber("en", v, 0), t: (k: MessageKey) => translate("en", k), locale: "en" as const };
    const fr = { pt: pageTranslator(simulationsMessages, "fr"), number: (v: number) => formatNumber("fr", v, 0), t: (k: MessageKey) => translate("fr", k), locale: "fr" as const };
    const group: QuotaReason = { code: "group_unreachable", quota: "generation_coverage", dimension: "generation", group: "gen_z", mentees: 1200, reachable: 900, need: 1000 };
    expect(quotaReasonLine(group, false, en)).toBe("Gen Z has 1,200 mentees; at most 900 can be matched (allowed mentors and capacities), the quota needs 1,000");
    expect(quotaReasonLine(group, false, fr)).toBe("Génération Z compte 1\u202f200 mentorés\u202f; 900 au plus peuvent être appariés (mentors permis et capacités), le quota en demande 1\u202f000");
    expect(quotaReasonLine(group, true, fr)).toMatch(/^couverture par génération\u202f: Génération Z compte/);
    const compete: QuotaReason = { code: "compete", quotas: ["cross_generation", "organization_coverage"] };
    expect(quotaReasonLine(compete, true, fr)).toBe("ces quotas ne peuvent pas tenir ensemble (intergénérationnel, couverture par organisation)\u202f: chaque groupe peut être servi seul, mais ils se disputent les mêmes mentors");
    expect(quotaReasonLine({ code: "too_large", cells: 25000, max: 20000 }, false, fr)).toBe("25\u202f000 binômes possibles\u202f: au-delà de 20\u202f000, le programme exact en nombres entiers n’est pas tenté");
    // The English lines are the CLI's, which the stored result keeps in `reasons`.
    expect(quotaReasonText({ code: "group_unreachable_general", quota: "organization_coverage" })).toBe(
      "organization_coverage: the mentees of a group cannot all be reached as the quota needs (allowed mentors and capacities)",
    );
  });
});
