/**
 * `npx tsx bench/impact.ts [--program large-demo|octave-demo] [--reps 100] [--bootstrap 200] [--variance analytic|bootstrap|both]`
 *
 * The impact estimator's coverage (issue 13, decision 0020): R seeded replications of the demo
 * generator's workforce (seeds/workforce.ts: participation and outcomes from a known model,
 * seeds 1..R), each estimated like the report does (analytics/impact, the overall estimate),
 * against the generating model's true effect on the participants (ATT, `trueImpact`). Reports,
 * for retention and promotion at 12 months: how often the 95 % interval covers the truth
 * (goal 90–98 %), the mean bias of the estimate (goal within ±1 point), the naive difference's
 * mean bias, the mean interval width, and the time per replication — per interval method
 * (decision 0020: the analytic delta-method interval, the report's default, and the Poisson
 * bootstrap's percentile interval; `both`, the default, runs each on the same replications). The rows go through
 * analytics/impact/records.ts, the TypeScript twin of sql/impact/records.sql (a test checks
 * they agree on the demo), so no database is needed. Prints a table; writes
 * bench/results/impact.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { addMonths, cellKey, daysBetween } from "../analytics/impact/bands.ts";
import { estimateImpact, type VarianceMethod } from "../analytics/impact/estimate.ts";
import { impactRows } from "../analytics/impact/records.ts";
import { isoDate } from "../seeds/dates.ts";
import { makePeople } from "../seeds/generate-program.ts";
import { DEMO_PROGRAMS } from "../seeds/programs.ts";
import { createRng, deriveSeed } from "../seeds/rng.ts";
import { makeWorkforce, trueImpact } from "../seeds/workforce.ts";

const { values } = parseArgs({
  options: {
    program: { type: "string", default: "large-demo" },
    reps: { type: "string", default: "100" },
    bootstrap: { type: "string", default: "200" },
    variance: { type: "string", default: "both" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  process.stdout.write("Usage: npx tsx bench/impact.ts [--program large-demo|octave-demo] [--reps 100] [--bootstrap 200] [--variance analytic|bootstrap|both]\n");
  process.exit(0);
}
const spec = DEMO_PROGRAMS[values.program!];
const workforceSpec = spec?.workforce;
if (!workforceSpec) throw new Error(`no demo workforce for ${values.program}`);
const reps = Number(values.reps);
const bootstrap = Number(values.bootstrap);
const methods: VarianceMethod[] = values.variance === "both" ? ["analytic", "bootstrap"] : [values.variance as VarianceMethod];
if (!methods.every((m) => m === "analytic" || m === "bootstrap")) throw new Error(`invalid --variance: ${values.variance} (analytic, bootstrap or both)`);
const HORIZON = 12;
const GOAL = { coverage: [0.9, 0.98], bias: 0.01 };

const start = isoDate(spec.start);
const monthDays = Array.from({ length: HORIZON + 1 }, (_, m) => daysBetween(start, addMonths(start, m)));
const load = loadavg()[0];
type Tally = { covered: number; bias: number; naiveBias: number; width: number; estimates: number };
const newTally = (): Record<"retention" | "promotion", Tally> => ({
  retention: { covered: 0, bias: 0, naiveBias: 0, width: 0, estimates: 0 },
  promotion: { covered: 0, bias: 0, naiveBias: 0, width: 0, estimates: 0 },
});
const tallies = Object.fromEntries(methods.map((m) => [m, newTally()])) as Record<VarianceMethod, ReturnType<typeof newTally>>;
const estimateMsOf = Object.fromEntries(methods.map((m) => [m, 0])) as Record<VarianceMethod, number>;
const started = performance.now();
for (let rep = 1; rep <= reps; rep++) {
  const stream = (label: string) => createRng(deriveSeed(rep, `${spec.programId}/${label}`));
  const people = makePeople(spec, stream("people"));
  const workforce = makeWorkforce(spec, workforceSpec, people, stream("workforce"));
  const truth = trueImpact(spec, workforce, HORIZON);
  const rows = impactRows(
    workforce.map((w) => ({
      participant: w.role !== null,
      role: w.role,
      cell: cellKey(w.covariates),
      leftAt: w.leftAt === null ? null : w.leftAt - spec.start,
      leaveReason: w.leaveReason,
      promotedAt: w.promotedAt === null ? null : w.promotedAt - spec.start,
      observedUntil: workforceSpec.observedUntil - spec.start,
    })),
    monthDays[HORIZON],
  );
  for (const variance of methods) {
    const t0 = performance.now();
    const figures = estimateImpact({ horizonMonths: HORIZON, monthDays, longestHorizonMonths: HORIZON, participantsMissing: 0, ...rows }, { k: 5, variance, bootstrap, seed: rep, subgroups: false });
    estimateMsOf[variance] += performance.now() - t0;
    for (const outcome of ["retention", "promotion"] as const) {
      const o = figures[outcome]!;
      if (o.status !== "ok" || !o.ci95) continue;
      const t = tallies[variance][outcome];
      const true_ = truth[outcome].all.effect;
      t.estimates++;
      if (o.ci95[0] <= true_ && true_ <= o.ci95[1]) t.covered++;
      t.bias += o.effect! - true_;
      t.naiveBias += o.naive_effect! - true_;
      t.width += o.ci95[1] - o.ci95[0];
    }
  }
  if (rep % 10 === 0) process.stderr.write(`  ${rep}/${reps}\n`);
}
const wallMs = performance.now() - started;

type MethodResult = { estimates: number; coverage: number; mean_bias_points: number; naive_mean_bias_points: number; mean_ci_width_points: number; coverage_goal_met: boolean; bias_goal_met: boolean };
const resultsOf = (variance: VarianceMethod) =>
  Object.fromEntries(
    (["retention", "promotion"] as const).map((outcome) => {
      const t = tallies[variance][outcome];
      const coverage = t.covered / t.estimates;
      const bias = t.bias / t.estimates;
      return [
        outcome,
        {
          estimates: t.estimates,
          coverage,
          mean_bias_points: bias * 100,
          naive_mean_bias_points: (t.naiveBias / t.estimates) * 100,
          mean_ci_width_points: (t.width / t.estimates) * 100,
          coverage_goal_met: coverage >= GOAL.coverage[0] && coverage <= GOAL.coverage[1],
          bias_goal_met: Math.abs(bias) <= GOAL.bias,
        },
      ];
    }),
  ) as Record<"retention" | "promotion", MethodResult>;
const byMethod = Object.fromEntries(methods.map((m) => [m, { results: resultsOf(m), estimate_ms_per_rep: estimateMsOf[m] / reps }])) as Record<VarianceMethod, { results: Record<"retention" | "promotion", MethodResult>; estimate_ms_per_rep: number }>;

const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
const pts = (x: number) => `${x >= 0 ? "+" : ""}${x.toFixed(2)}`;
const label = (m: VarianceMethod) => (m === "bootstrap" ? `bootstrap (${bootstrap} resamples)` : "analytic");
process.stdout.write(
  [
    `bench/impact: ${spec.programId}, ${reps} replications (seeds 1–${reps}), horizon ${HORIZON} months; load ${load.toFixed(2)}`,
    "",
    "| interval | outcome | coverage of the 95 % interval (goal 90–98 %) | mean bias, points (goal ±1) | naive mean bias, points | mean interval width, points |",
    "| --- | --- | ---: | ---: | ---: | ---: |",
    ...methods.flatMap((m) =>
      (["retention", "promotion"] as const).map((o) => {
        const r = byMethod[m].results[o];
        return `| ${label(m)} | ${o} | ${pct(r.coverage)} ${r.coverage_goal_met ? "✓" : "✗"} | ${pts(r.mean_bias_points)} ${r.bias_goal_met ? "✓" : "✗"} | ${pts(r.naive_mean_bias_points)} | ${r.mean_ci_width_points.toFixed(2)} |`;
      }),
    ),
    "",
    `Estimation per replication (both outcomes): ${methods.map((m) => `${label(m)} ${byMethod[m].estimate_ms_per_rep.toFixed(0)} ms`).join(", ")}; wall ${(wallMs / 1000).toFixed(1)} s.`,
    "",
  ].join("\n"),
);
const summary = methods
  .map((m) => {
    const r = byMethod[m].results;
    return `${spec.programId}, ${label(m)}: coverage retention ${pct(r.retention.coverage)}, promotion ${pct(r.promotion.coverage)}; bias ${pts(r.retention.mean_bias_points)} / ${pts(r.promotion.mean_bias_points)} points (naive ${pts(r.retention.naive_mean_bias_points)} / ${pts(r.promotion.naive_mean_bias_points)})`;
  })
  .join("; ");
const main = byMethod[methods[0]];
mkdirSync(resolve("bench/results"), { recursive: true });
writeFileSync(
  resolve("bench/results/impact.json"),
  JSON.stringify({ program: spec.programId, reps, bootstrap, methods, horizon_months: HORIZON, loadavg_1m_before: load, loadavg_after: loadavg(), wall_ms: wallMs, estimate_ms_per_rep: main.estimate_ms_per_rep, goals: GOAL, results: main.results, by_method: byMethod, summary }, null, 2) + "\n",
);
