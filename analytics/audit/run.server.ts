/**
 * Runs the intruder audit (./audit.server.ts) on a program for every protected audience × every
 * organization that takes part in it (or the ones asked for), records the run in
 * `privacy_audits`, and returns it. Used by `npm run privacy-audit` and `/admin/programs`.
 */
import type { Db } from "../db/database.server.ts";
import { loadSql } from "../db/sql-files.server.ts";
import { DEFAULT_K } from "../metrics/suppression.ts";
import { AUDIENCES, NOT_MODELLED, VIEWS_COVERED, auditProgram, type AuditAudience, type AuditFinding, type AuditResult } from "./audit.server.ts";

export interface PrivacyAuditOptions {
  audiences?: readonly AuditAudience[];
  /** Organizations to take the view of (default: every organization with participants). */
  orgs?: readonly string[];
  k?: number;
  /** See AuditRequest.protectionsOff: a demonstration, never recorded. */
  protectionsOff?: boolean;
  onProgress?: (message: string) => void;
}

export interface PrivacyAuditRun {
  programId: string;
  k: number;
  results: AuditResult[];
  findings: (AuditFinding & { audience: AuditAudience; orgId: string })[];
  ok: boolean;
  cpuMs: number;
  viewsCpuMs: number;
  viewsCovered: readonly string[];
  notModelled: readonly string[];
}

export class UnknownProgramError extends Error {}

export async function runPrivacyAudit(db: Db, programId: string, options: PrivacyAuditOptions = {}): Promise<PrivacyAuditRun> {
  const k = options.k ?? DEFAULT_K;
  const orgs = options.orgs ?? (await db.all<{ org_id: string }>(loadSql("privacy/program_organizations"), { program_id: programId })).map((r) => r.org_id);
  const [exists] = await db.all<{ n: number }>(loadSql("privacy/program_exists"), { program_id: programId });
  if (!exists || exists.n === 0) throw new UnknownProgramError(`no program ${JSON.stringify(programId)}`);
  const results: AuditResult[] = [];
  // hr, rse and sponsor are served the same aggregates (the pages and the report tell only the
  // admin apart; test/privacy/audit.test.ts checks every view's data is equal for the three):
  // each organization is audited once, and its result stands for every protected audience.
  const byOrg = new Map<string, AuditResult | null>();
  for (const audience of options.audiences ?? AUDIENCES) {
    for (const orgId of orgs) {
      const shared = byOrg.get(orgId);
      if (shared !== undefined) {
        if (shared) results.push({ ...shared, audience, cpuMs: 0, viewsCpuMs: 0, sharedWith: shared.audience });
        continue;
      }
      const result = await auditProgram(db, { programId, audience, orgId, k, protectionsOff: options.protectionsOff, onProgress: options.onProgress });
      byOrg.set(orgId, result);
      if (result) results.push(result);
    }
  }
  const findings = results.flatMap((r) => r.findings.map((f) => ({ ...f, audience: r.audience, orgId: r.orgId })));
  const run: PrivacyAuditRun = {
    programId,
    k,
    results,
    findings,
    ok: findings.length === 0,
    cpuMs: results.reduce((s, r) => s + r.cpuMs, 0),
    viewsCpuMs: results.reduce((s, r) => s + r.viewsCpuMs, 0),
    viewsCovered: VIEWS_COVERED,
    notModelled: NOT_MODELLED,
  };
  if (!options.protectionsOff) {
    await db.run(loadSql("privacy/audit_insert"), {
      program_id: programId,
      k,
      audited: JSON.stringify(results.map((r) => ({ audience: r.audience, org_id: r.orgId }))),
      views: results.reduce((s, r) => s + r.views, 0),
      facts: results.reduce((s, r) => s + r.facts, 0),
      hidden_cells: results.reduce((s, r) => s + r.hiddenCells, 0),
      findings: findings.length,
      cpu_ms: run.cpuMs,
      // Views and figure names only: no participant, no value of a hidden cell.
      details: JSON.stringify(findings.slice(0, 200).map((f) => ({ audience: f.audience, org_id: f.orgId, view: f.view, figure: f.figure, values: f.values, pinned_by: f.pinnedViews }))),
    });
  }
  return run;
}

export interface LatestAudit {
  program_id: string;
  run_at: string;
  k: number;
  findings: number;
  views: number;
  hidden_cells: number;
}

/** The latest audit of every program that has one, by program id. */
export async function latestAudits(db: Db): Promise<Map<string, LatestAudit>> {
  const rows = await db.all<LatestAudit>(loadSql("privacy/audit_latest"));
  return new Map(rows.map((r) => [r.program_id, r]));
}
