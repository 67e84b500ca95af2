/**
 * From people to the estimator's rows (ImpactRow), as sql/impact/records.sql does in the
 * database: the same rules in TypeScript, for the benchmark and to check the SQL. Pure.
 *
 * Retention: the event is a voluntary departure on or before the horizon; any other departure,
 * observed_until or the horizon censors. Promotion: the event is promoted_at on or before the
 * horizon (and not after the departure or the extract); a departure, observed_until or the
 * horizon censors.
 */
import type { ImpactRow, Role } from "./estimate.ts";

export interface PersonOutcome {
  participant: boolean;
  role: Role | null;
  cell: string;
  /** Days from the start; null = none within the extract. */
  leftAt: number | null;
  leaveReason: string | null;
  promotedAt: number | null;
  observedUntil: number;
}

export function impactRows(people: readonly PersonOutcome[], horizonDays: number): { retention: ImpactRow[]; promotion: ImpactRow[] } {
  const groups = { retention: new Map<string, ImpactRow>(), promotion: new Map<string, ImpactRow>() };
  const add = (map: Map<string, ImpactRow>, p: PersonOutcome, time: number, event: boolean) => {
    const key = `${p.participant ? 1 : 0}|${p.role ?? ""}|${p.cell}|${time}|${event ? 1 : 0}`;
    const row = map.get(key);
    if (row) row.n += 1;
    else map.set(key, { participant: p.participant, role: p.role, cell: p.cell, time, event, n: 1 });
  };
  for (const p of people) {
    const end = Math.min(horizonDays, p.observedUntil);
    const left = p.leftAt !== null && p.leftAt <= end ? p.leftAt : null;
    add(groups.retention, p, left ?? end, left !== null && p.leaveReason === "voluntary");
    const promoted = p.promotedAt !== null && p.promotedAt <= end && (p.leftAt === null || p.promotedAt <= p.leftAt) ? p.promotedAt : null;
    add(groups.promotion, p, promoted ?? left ?? end, promoted !== null);
  }
  return { retention: [...groups.retention.values()], promotion: [...groups.promotion.values()] };
}
