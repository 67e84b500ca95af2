import type { LoaderFunctionArgs } from "@remix-run/node";
import { recordAudit } from "../../analytics/auth/audit.server.ts";
import { requireApiProgram } from "../../analytics/auth/request.server.ts";
import { individualsOrg } from "../../analytics/auth/scope.server.ts";
import { dashboardContext } from "../../analytics/dashboards/context.server.ts";
import { getPage } from "../../analytics/dashboards/pages.server.ts";
import { getAppDb } from "../../analytics/db/app-db.server.ts";

/**
 * The program's pairs detail as an Arrow IPC stream (`application/vnd.apache.arrow.stream`),
 * filtered by the same URL filters as the pages. Individual-level: admin (every pair) and hr
 * (pairs with a member of their organization; other members' ids are null) only — 403 for
 * other roles, 401 signed out, 404 outside the scope. Every download is audited.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const signed = await requireApiProgram(request, params.programId);
  const ctx = await dashboardContext(signed, request, params.programId!, "json");
  const org = individualsOrg(ctx.scope);
  if (org === null) {
    return Response.json(
      { error: "forbidden", message: "Individual pairs are for operators and HR only." },
      { status: 403, headers: { "Cache-Control": "no-store" } },
    );
  }
  const db = await getAppDb();
  const result = (await getPage(db, params.programId!, "pairs-arrow", ctx))?.data;
  if (!result) return Response.json({ error: "not_found" }, { status: 404, headers: { "Cache-Control": "no-store" } });
  await recordAudit(db, ctx.scope, "download_export", {
    programId: params.programId,
    format: "arrow",
    dataset: "pairs",
    rows: result.rows,
    filters: ctx.filters,
  });
  return new Response(result.ipc, {
    headers: {
      "Content-Type": "application/vnd.apache.arrow.stream",
      "Content-Disposition": `attachment; filename="${params.programId!.replace(/[^A-Za-z0-9_.-]/g, "_")}-pairs.arrow"`,
      "Cache-Control": "private, no-store",
    },
  });
}
