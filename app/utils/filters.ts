/**
 * The dashboard filters in the URL (`cohort`, `org`, `generation`, `role`, `from`, `to`):
 * parse, serialise, SQL parameters. Defined in analytics/domain/filters.ts (pure, shared
 * by loaders and components).
 */
export * from "../../analytics/domain/filters.ts";
