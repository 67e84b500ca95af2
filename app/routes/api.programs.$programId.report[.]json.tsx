import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiProgram } from "../../analytics/auth/request.server.ts";
import { dashboardContext, reportOptions } from "../../analytics/dashboards/context.server.ts";
import { getCachedReport } from "../../analytics/dashboards/pages.server.ts";
import { getAppDb } from "../../analytics/db/app-db.server.ts";

/**
 * The program report (issue 3's JSON contract) for the signed-in user's audience: 401 signed
 * out, 404 for a program outside the scope. Query: `as_of=YYYY-MM-DD` (optional, operators only:
 * 403 for the protected audiences). The impact figures (issue 13) compute intervals over the whole workforce (seconds on a
 * large program), so they are computed when asked: `impact=1` (at 12 months) or
 * `horizon=MONTHS`; `impact` is null otherwise.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const signed = await requireApiProgram(request, params.programId);
  const ctx = await dashboardContext(signed, request, params.programId!, "json");
  const query = new URL(request.url).searchParams;
  const asOf = query.get("as_of");
  const horizon = query.get("horizon");
  const withImpact = horizon !== null || query.get("impact") === "1";
  // Two reports a day apart differ by that day's events: an operator's tool (docs/privacy.md).
  if (asOf && ctx.k !== null) {
    return Response.json(
      { error: "forbidden", message: "as_of is available to operators only: other audiences see the report as of today (docs/privacy.md)." },
      { status: 403, headers: { "Cache-Control": "no-store" } },
    );
  }
  let report;
  try {
    const db = await getAppDb();
    // The impact figures (issue 13); a cost per departure is the operator's setting, not a query.
    const options = { ...reportOptions(ctx), asOf: asOf || null, impact: withImpact ? { horizonMonths: horizon ? Number(horizon) : undefined } : null };
    // Shared with the programs comparison: one computation per data version, day and audience.
    report = await getCachedReport(db, params.programId!, options);
  } catch (error) {
    if (error instanceof RangeError) {
      return Response.json({ error: "bad_request", message: "as_of must be a date YYYY-MM-DD, horizon a whole number of months (1–120)." }, { status: 400, headers: { "Cache-Control": "no-store" } });
    }
    throw error;
  }
  if (!report) return Response.json({ error: "not_found" }, { status: 404, headers: { "Cache-Control": "no-store" } });
  return Response.json(report, { headers: { "Cache-Control": "private, no-store" } });
}
