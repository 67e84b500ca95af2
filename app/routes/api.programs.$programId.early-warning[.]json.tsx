import type { LoaderFunctionArgs } from "@remix-run/node";
import { recordAudit } from "../../analytics/auth/audit.server.ts";
import { requireApiProgram } from "../../analytics/auth/request.server.ts";
import { individualsOrg } from "../../analytics/auth/scope.server.ts";
import { dashboardContext } from "../../analytics/dashboards/context.server.ts";
import { earlyWarningView, getEarlyWarning } from "../../analytics/dashboards/early-warning.server.ts";
import { getAppDb } from "../../analytics/db/app-db.server.ts";

/**
 * The early-warning model of a program and its active pairs' scores (probability of ending
 * early within 3 months), as JSON: individual-level, so admin (every pair) and hr (the pairs
 * with a member of their organization; other members' ids are null) only — 403 for other
 * roles, 401 signed out, 404 outside the scope. Every download is audited, like the pairs Arrow.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const signed = await requireApiProgram(request, params.programId);
  const ctx = await dashboardContext(signed, request, params.programId!, "json");
  const individuals = individualsOrg(ctx.scope);
  const noStore = { "Cache-Control": "private, no-store" };
  if (individuals === null) {
    return Response.json({ error: "forbidden", message: "Early-warning scores are individual-level: for operators and HR only." }, { status: 403, headers: noStore });
  }
  const db = await getAppDb();
  const warning = await getEarlyWarning(db, params.programId!);
  if (!warning) return Response.json({ error: "not_found" }, { status: 404, headers: noStore });
  const view = earlyWarningView(warning, individuals, ctx.k ?? undefined);
  await recordAudit(db, ctx.scope, "download_export", { programId: params.programId, format: "json", dataset: "early_warning", rows: view.pairs.length });
  return Response.json(view, { headers: noStore });
}
