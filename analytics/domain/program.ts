/** Intra-company (one organization's people) or inter-company mentoring. */
export type ProgramKind = "intra" | "inter";

/**
 * A program as the report, the dashboard pages and the simulations name it: one row of
 * `sql/queries/report_program.sql`. Dates are ISO `YYYY-MM-DD`; `as_of` is the date the
 * figures are computed at (by default the earlier of today and `end_date`).
 */
export interface ProgramIdentity {
  program_id: string;
  name: string;
  kind: ProgramKind;
  start_date: string;
  end_date: string;
  currency: string;
  as_of: string;
}
