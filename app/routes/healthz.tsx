import { getAppDb } from "../../analytics/db/app-db.server.ts";
import { checkHealth, healthResponse } from "../../analytics/health/health.server.ts";

/**
 * `GET /healthz` for the operator's monitoring: 200 `{status: "ok", database: "open",
 * schema_version, expected_schema_version}` when the database answers and its schema is
 * current, 503 otherwise. No sign-in, no personal data, never cached.
 */
export async function loader() {
  return healthResponse(await checkHealth(getAppDb));
}
