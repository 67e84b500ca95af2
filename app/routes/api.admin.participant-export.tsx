import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiUser } from "../../analytics/auth/request.server.ts";
import { getAppDb } from "../../analytics/db/app-db.server.ts";
import { recordOpsAudit } from "../../analytics/ops/audit.server.ts";
import { ErasureError, exportParticipant } from "../../analytics/ops/erasure.server.ts";

/** Everything held about one participant, as a JSON download (right of access; admin only, audited). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { user, scope } = await requireApiUser(request);
  const headers = { "Cache-Control": "no-store" };
  if (user.role !== "admin") return Response.json({ error: "forbidden", message: "Administrators only." }, { status: 403, headers });
  const url = new URL(request.url);
  const programId = url.searchParams.get("programId") ?? "";
  const participantId = (url.searchParams.get("participantId") ?? "").trim();
  const db = await getAppDb();
  try {
    const body = await exportParticipant(db, programId, participantId);
    await recordOpsAudit(db, scope, "export_participant", { programId, participantId });
    const name = `participant-${programId}-${participantId}.json`.replace(/[^\w.-]+/g, "_");
    return new Response(JSON.stringify(body, null, 2), {
      headers: { ...headers, "Content-Type": "application/json; charset=utf-8", "Content-Disposition": `attachment; filename="${name}"` },
    });
  } catch (error) {
    if (error instanceof ErasureError) return Response.json({ error: "not_found", message: error.message }, { status: 404, headers });
    throw error;
  }
}
