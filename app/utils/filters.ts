/**
 * The dashboard filters in the URL (`cohort`, `org`, `generation`, `role`, `from`, `to`):
 * parse, serialise, SQL parameters. Defined in analytics/dashboards/filters.ts (pure, shared
 * by loaders and components).
 */
export * from "../../analytics/dashboards/filters.ts";
