/** The Simulations page's quota form and view (issue 15, item 3). */
import { describe, expect, it } from "vitest";
import { quotasView } from "../../analytics/dashboards/simulations.server.ts";
import { parseSimulationRequest } from "../../analytics/matching/jobs.server.ts";
import type { QuotaReport } from "../../analytics/matching/quota-run.ts";
import { QUOTA_NAMES } from "../../analytics/matching/quotas.ts";
import { QUOTA_NAMES as FORM_QUOTAS } from "../../analytics/matching/simulation-options.ts";

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
              reasons: ["organization_coverage: organization ORG-A has 2 mentees; at most 0 can be matched (allowed mentors and capacities), the quota needs 2"],
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
    expect(seen).toContain("the mentees of a group cannot all be reached");
  });
});
