import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { recordAudit } from "../../analytics/auth/audit.server.ts";
import { requireProgram } from "../../analytics/auth/request.server.ts";
import { individualsOrg } from "../../analytics/auth/scope.server.ts";
import { parseAttentionQuery, selectAttention } from "../../analytics/dashboards/attention.ts";
import { pageError } from "../../analytics/domain/page-errors.ts";
import { AttentionList } from "../components/AttentionList.tsx";
import { RouteError } from "../components/RouteError.tsx";
import { dashboardPage } from "../pages/dashboard.server.ts";

/**
 * The attention list (issue 14, item 3): every active pair the reader may see individually, as
 * needs a check-in / too early to tell / on track, with the reasons, filtered by the filters bar
 * and the list's own parameters (category, reason, sort, dir, page). Individual-level: admin and
 * hr only, checked here on the server (404 outside the reader's programs, then 403 for rse and
 * sponsor). Each view is audited like the quality page's at-risk list.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const signed = await requireProgram(request, params.programId);
  const individuals = individualsOrg(signed.scope);
  if (individuals === null) throw data(pageError("individuals_only"), { status: 403 });
  const { data: list, ctx, db } = await dashboardPage(signed, request, params.programId!, "attention");
  if (!list) throw data(pageError("individuals_only"), { status: 403 });
  const query = parseAttentionQuery(new URL(request.url).searchParams);
  const selection = selectAttention(list, query);
  if (selection.rows.length > 0) {
    await recordAudit(db, ctx.scope, "view_individuals", {
      programId: params.programId,
      page: "attention",
      rows: selection.rows.length,
      filters: ctx.filters,
      list: query,
    });
  }
  return {
    programId: params.programId!,
    asOf: list.as_of,
    endedOn: list.ended_on,
    ordering: list.ordering,
    modelPending: list.model_pending,
    query,
    selection,
    ownOrganizationOnly: individuals.kind === "org",
  };
}

export default function Attention() {
  return <AttentionList {...useLoaderData<typeof loader>()} />;
}

export function ErrorBoundary() {
  return <RouteError />;
}
