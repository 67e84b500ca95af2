import type { LoaderFunctionArgs } from "@remix-run/node";
import { recordAudit } from "../../analytics/auth/audit.server.ts";
import { requireApiProgram } from "../../analytics/auth/request.server.ts";
import { canSeeIndividuals, individualsOrg } from "../../analytics/auth/scope.server.ts";
import { jobPairs } from "../../analytics/dashboards/simulations.server.ts";
import { getJobStatus } from "../../analytics/matching/jobs.server.ts";
import { getAppDb } from "../../analytics/db/app-db.server.ts";
import { CSV_CONTENT_TYPE, csvDocument } from "../../analytics/domain/csv.ts";
import { localeFromRequest } from "../i18n/locale.ts";

const COLUMNS = ["mentee_id", "mentee_org_id", "mentee_generation", "mentor_id", "mentor_org_id", "mentor_generation", "age_gap_years", "compatibility"] as const;

/**
 * A simulated strategy's pairs as CSV (`?strategy=optimal`): admin, and HR for the pairs with a
 * member of its organization; 403 for other roles; 404 for a job the reader did not start
 * (admin excepted), like an unknown one. Each download is audited.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const signed = await requireApiProgram(request, params.programId);
  const headers = { "Cache-Control": "no-store" };
  const who = individualsOrg(signed.scope);
  if (!canSeeIndividuals(signed.scope) || who === null) {
    return Response.json({ error: "forbidden", message: "Individual pairs are not shown to your role." }, { status: 403, headers });
  }
  const strategy = new URL(request.url).searchParams.get("strategy") ?? "";
  // Another user's job does not exist for this reader (jobPairs itself does not check the owner).
  if (!getJobStatus(params.programId!, params.jobId ?? "", signed.scope)) {
    return Response.json({ error: "not_found", message: "No such simulation or strategy (simulations are kept for an hour)." }, { status: 404, headers });
  }
  const pairs = jobPairs(params.programId!, params.jobId ?? "", strategy, who);
  if (!pairs) return Response.json({ error: "not_found", message: "No such simulation or strategy (simulations are kept for an hour)." }, { status: 404, headers });
  await recordAudit(await getAppDb(), signed.scope, "download_export", {
    programId: params.programId,
    page: "simulations",
    strategy,
    job: params.jobId,
    format: "csv",
    rows: pairs.length,
  });
  // In the reader's language's dialect (French: `;`, decimal comma, byte-order mark).
  const csv = csvDocument(COLUMNS, pairs.map((pair) => COLUMNS.map((c) => pair[c])), localeFromRequest(request));
  return new Response(csv, {
    headers: {
      ...headers,
      "Content-Type": CSV_CONTENT_TYPE,
      "Content-Disposition": `attachment; filename="simulation-${strategy.replace(/[^a-z]/g, "")}-pairs.csv"`,
    },
  });
}
