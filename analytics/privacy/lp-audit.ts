/**
 * The linear-programming core of the intruder audit (issue 11, point 4; docs/privacy.md).
 * Pure: no database, no I/O. The caller enumerates the views an audience can reach and turns
 * every figure it would be shown into a linear equation over unknown cell values; this module
 * answers, for each hidden cell, "what values are still consistent with everything shown?".
 *
 * The model
 * ---------
 * - `variables`: the unknowns x_j (e.g. the pairs, completed pairs, sums of answers of one
 *   elementary cell), each with bounds `lower ≤ x_j ≤ upper` (`upper: null` is +∞; `lower` may
 *   be -Infinity).
 * - `facts`: what a user was shown, `Σ c·x = value` (a count, a sum, a mean × its base, a
 *   rate × its base). `tolerance` (default 0) turns it into `|Σ c·x − value| ≤ tolerance`, for
 *   a figure that was published rounded (a mean shown to 4 decimals over 71 respondents is
 *   known to ±0.00005 × 71).
 * - `structural`: what anyone knows without being shown it: `lower ≤ Σ c·x ≤ upper`
 *   (`null`: no bound), e.g. `sum_sat − 5·resp ≤ 0`, `completed − pairs ≤ 0`.
 * - `cells`: the hidden (protected) figures, each a linear form `Σ c·x`:
 *   - `kind: "count"`: the form is the count itself;
 *   - `kind: "mean"` with `divisor` a number: the form is the mean's numerator (sum of
 *     answers) and the divisor (respondents) is known, because it is shown;
 *   - `kind: "mean"` with `divisor: null`: the form is the numerator and `divisorTerms`, the
 *     linear form of the unknown divisor (the respondents count, at least 1 when the mean
 *     exists). The range of the ratio is then computed exactly by linear-fractional
 *     programming (Charnes–Cooper: y = x/(d·x), t = 1/(d·x) turns max (c·x)/(d·x) into the
 *     LP max c·y, A·y = b·t, d·y = 1, 0 ≤ t ≤ 1). Without `divisorTerms`, `countCell` names
 *     the count cell of the same group and the mean is judged by the brief's conservative
 *     rule (ok when that count is ok). That rule is weaker: a subgroup of a group whose
 *     published mean is exactly 5 has mean 5 whatever its size; prefer `divisorTerms`.
 *   `trueValue` is on the cell's own scale: the count, or the mean (numerator / divisor).
 *
 * The answer
 * ----------
 * `auditRanges(problem)` returns, per cell and in the input order, `min`/`max` of the cell
 * over the LP relaxation of everything published (for a mean: of the mean itself), and:
 * - a count is ok when it keeps at least `minCountValues` (3) possible integer values,
 *   `values = floor(max + ε) − ceil(min − ε) + 1`;
 * - a mean is ok when `max − min ≥ minMeanRange` (1 point on the 1–5 scale).
 * The LP relaxation contains every integer solution, so its range can only be wider than the
 * integers': a cell judged not ok is truly exposed, but a count judged ok may still be narrower
 * over the integers (on the 240 random cells of test/privacy/lp-audit.test.ts, the LP range
 * differs from the integer range for 43 and the verdict for 5). An exact integer check (HiGHS
 * MIP on the cells the LP calls ok) is the next step if the policy needs it. `pinnedBy` lists the facts with a non-zero dual in the min or max solve: a
 * combination of them (and of variable bounds) proves the bound, so they are the figures to
 * coarsen; `pinnedViews` lists their views.
 * Facts that contradict each other (a bug in the caller) throw an `AuditInfeasibleError`
 * naming the problem size and a small infeasible subset (HiGHS's IIS); a cell whose
 * `trueValue` lies outside its computed range (the facts or the cell's terms are wrong) throws
 * too.
 *
 * Performance
 * -----------
 * The variables are split into connected components (variables sharing a fact or a
 * structural constraint): a cell's range is the sum of the ranges of its parts in each
 * component, and a part in a component with no constraint at all is its bounds, with no LP.
 * Each component with constraints is written once in CPLEX LP format (generated names x<j>,
 * c<i>, y<j>, t, b<j>l/u, n: never a user string), loaded once into a persistent HiGHS model,
 * and every cell is a change of objective on it: min then max, warm-started from the
 * previous basis (primal simplex). The same figure shown in several views is one row (pinned
 * by all of them); identical cell forms are solved once. HiGHS (wasm) is loaded once per
 * process. Measured: 1842 facts, 720 structural constraints and 426 cells in one component of
 * 720 variables, ~4.5 s CPU (about 5 ms per LP solve, mostly HiGHS's fixed cost per run).
 */
import highsLoader, { type Highs, type Model } from "highs";

export interface LpVariable {
  /** For error messages only; the LP text never contains it. */
  name: string;
  lower: number;
  /** null: +∞ */
  upper: number | null;
}
/** c·x_v: `v` is an index into `AuditProblem.variables`. */
export interface LinearTerm {
  v: number;
  c: number;
}
/** Σ c·x = value: a figure a user was shown. */
export interface PublishedFact {
  id: string;
  view: string;
  terms: LinearTerm[];
  value: number;
  /** Half-width of the rounding of a published figure: |Σ c·x − value| ≤ tolerance. Default 0. */
  tolerance?: number;
}
/** lower ≤ Σ c·x ≤ upper, known without being shown (null: no bound). */
export interface Structural {
  id: string;
  terms: LinearTerm[];
  lower: number | null;
  upper: number | null;
}
export type CellKind = "count" | "mean";
export interface ProtectedCell {
  id: string;
  view: string;
  kind: CellKind;
  /** The count, or the mean's numerator. */
  terms: LinearTerm[];
  /** For a mean: the divisor when it is known (respondents shown), else null. */
  divisor: number | null;
  /** For a mean whose divisor is unknown: the divisor as a linear form (exact ratio range). */
  divisorTerms?: LinearTerm[];
  /** For a mean whose divisor is unknown and has no `divisorTerms`: the id of its count cell. */
  countCell?: string;
  /** The count, or the mean itself. */
  trueValue: number;
}
export interface AuditProblem {
  variables: LpVariable[];
  facts: PublishedFact[];
  structural: Structural[];
  cells: ProtectedCell[];
}
export interface CellRange {
  id: string;
  view: string;
  kind: CellKind;
  trueValue: number;
  /** Range of the cell (for a mean, of the mean) consistent with every fact. */
  min: number;
  max: number;
  /** For a count: integer values possible, floor(max + ε) − ceil(min − ε) + 1 (Infinity if unbounded). */
  values?: number;
  ok: boolean;
  /** Facts with a non-zero dual in the min or max solve, in input order. */
  pinnedBy: string[];
  /** The views of `pinnedBy`, in first-appearance order. */
  pinnedViews: string[];
}
export interface AuditOptions {
  /** A hidden count must keep at least this many possible integer values. Default 3. */
  minCountValues?: number;
  /** A hidden mean must keep a range of at least this many points. Default 1. */
  minMeanRange?: number;
  /**
   * For a count whose maximum alone leaves it enough values (max ≥ true value + minCountValues
   * − 1), skip the minimum solve: its `min` is then reported as its true value, a lower end of
   * the real range, and the verdict is the same. About halves the solves of a wide audit.
   * Before that, a count that the optima already found for other cells (and its true value)
   * show to take enough values is not solved at all: its min and max are then the values seen
   * at those points, inside the real range, and the verdict is again the same.
   */
  skipLowerWhenWide?: boolean;
}
export interface AuditStats {
  variables: number;
  facts: number;
  structural: number;
  cells: number;
  /** Components that have at least one constraint. */
  components: number;
  largestComponent: { variables: number; rows: number };
  /** LP solves run (feasibility checks included). */
  lpSolves: number;
  /** Count cells shown wide by points already found (skipLowerWhenWide), with no solve of their own. */
  countsFromPoints: number;
  /** Cell parts answered from variable bounds alone, without an LP. */
  partsFromBounds: number;
}

/** The facts contradict each other: the caller turned some figure into a wrong equation. */
export class AuditInfeasibleError extends Error {
  constructor(
    message: string,
    /** A small infeasible subset: ids of facts and structural constraints. */
    readonly conflict: string[],
  ) {
    super(message);
    this.name = "AuditInfeasibleError";
  }
}

// ---------------------------------------------------------------------------------------------
// The solver, loaded once per process.

let solver: Promise<Highs> | null = null;

/** HiGHS (wasm), loaded once per process; a failed load is retried on the next call. */
export function loadSolver(): Promise<Highs> {
  if (!solver) {
    solver = highsLoader().catch((error: unknown) => {
      solver = null;
      throw new Error(`could not load the HiGHS solver (npm package highs): ${String(error)}`);
    });
  }
  return solver;
}

/** A wasm abort leaves the runtime unusable: forget it so the next audit loads a fresh one. */
function solverFailed(error: unknown): never {
  if (error instanceof WebAssembly.RuntimeError) solver = null;
  throw error;
}

// ---------------------------------------------------------------------------------------------
// Input checking and normal form.

interface Row {
  /** Facts first, then structural constraints: also the row's LP name c<index>. */
  index: number;
  /** The facts and structural constraints this row stands for (identical ones are merged). */
  ids: string[];
  /** The facts among them (indices): only facts pin. */
  facts: number[];
  terms: LinearTerm[];
  lower: number;
  upper: number;
}

function describeValue(value: unknown): string {
  return typeof value === "number" ? String(value) : JSON.stringify(value) ?? String(value);
}

/** Merges repeated variables, drops zero coefficients, checks indices and numbers. */
function normalTerms(terms: LinearTerm[], nVars: number, where: string): LinearTerm[] {
  if (!Array.isArray(terms)) throw new Error(`${where}: terms must be an array, got ${describeValue(terms)}`);
  const sum = new Map<number, number>();
  for (const term of terms) {
    if (!Number.isInteger(term?.v) || term.v < 0 || term.v >= nVars) {
      throw new Error(`${where}: variable index ${describeValue(term?.v)} is not one of the ${nVars} variables`);
    }
    if (!Number.isFinite(term.c)) throw new Error(`${where}: coefficient ${describeValue(term.c)} of variable ${term.v} is not a finite number`);
    sum.set(term.v, (sum.get(term.v) ?? 0) + term.c);
  }
  const out: LinearTerm[] = [];
  for (const [v, c] of sum) if (c !== 0) out.push({ v, c });
  return out.sort((a, b) => a.v - b.v);
}

function finite(value: unknown, where: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new Error(`${where} must be a finite number, got ${describeValue(value)}`);
  return value;
}

interface Checked {
  lower: Float64Array;
  upper: Float64Array;
  rows: Row[];
  cells: {
    cell: ProtectedCell;
    terms: LinearTerm[];
    divisorTerms: LinearTerm[] | null;
  }[];
}

function check(problem: AuditProblem): Checked {
  const n = problem.variables.length;
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  problem.variables.forEach((variable, j) => {
    const lo = variable.lower;
    const up = variable.upper === null ? Infinity : variable.upper;
    if (typeof lo !== "number" || Number.isNaN(lo) || lo === Infinity) throw new Error(`variable ${j} (${variable.name}): lower bound ${describeValue(lo)} is not a number or -Infinity`);
    if (typeof up !== "number" || Number.isNaN(up) || up === -Infinity) throw new Error(`variable ${j} (${variable.name}): upper bound ${describeValue(variable.upper)} is not a number, Infinity or null`);
    if (lo > up) throw new Error(`variable ${j} (${variable.name}): lower bound ${lo} is above its upper bound ${up}`);
    lower[j] = lo;
    upper[j] = up;
  });
  const rows: Row[] = [];
  const factIds = new Set<string>();
  problem.facts.forEach((fact, i) => {
    const where = `fact ${JSON.stringify(fact.id)} (view ${JSON.stringify(fact.view)})`;
    if (factIds.has(fact.id)) throw new Error(`${where}: the fact id is used twice`);
    factIds.add(fact.id);
    const value = finite(fact.value, `${where}: value`);
    const tolerance = fact.tolerance === undefined ? 0 : finite(fact.tolerance, `${where}: tolerance`);
    if (tolerance < 0) throw new Error(`${where}: tolerance ${tolerance} is negative`);
    const terms = normalTerms(fact.terms, n, where);
    if (terms.length === 0) {
      if (Math.abs(value) > tolerance) throw new AuditInfeasibleError(`${where} says 0 = ${value}: it has no variable left`, [fact.id]);
      return;
    }
    rows.push({ index: i, ids: [fact.id], facts: [i], terms, lower: value - tolerance, upper: value + tolerance });
  });
  problem.structural.forEach((constraint, i) => {
    const where = `structural constraint ${JSON.stringify(constraint.id)}`;
    const lo = constraint.lower === null ? -Infinity : finite(constraint.lower, `${where}: lower`);
    const up = constraint.upper === null ? Infinity : finite(constraint.upper, `${where}: upper`);
    if (lo > up) throw new AuditInfeasibleError(`${where}: lower ${lo} is above upper ${up}`, [constraint.id]);
    const terms = normalTerms(constraint.terms, n, where);
    if (terms.length === 0) {
      if (lo > 0 || up < 0) throw new AuditInfeasibleError(`${where} has no variable left and excludes 0`, [constraint.id]);
      return;
    }
    if (lo === -Infinity && up === Infinity) return;
    rows.push({ index: problem.facts.length + i, ids: [constraint.id], facts: [], terms, lower: lo, upper: up });
  });
  // The same figure shown in several views is one row, pinned by all of them.
  const unique = new Map<string, Row>();
  for (const row of rows) {
    const key = `${termsKey(row.terms)}|${row.lower}|${row.upper}`;
    const first = unique.get(key);
    if (first) {
      first.ids.push(...row.ids);
      first.facts.push(...row.facts);
    } else unique.set(key, row);
  }
  const cellIds = new Map<string, ProtectedCell>();
  for (const cell of problem.cells) {
    if (cellIds.has(cell.id)) throw new Error(`cell ${JSON.stringify(cell.id)}: the cell id is used twice`);
    cellIds.set(cell.id, cell);
  }
  const cells = problem.cells.map((cell) => {
    const where = `cell ${JSON.stringify(cell.id)} (view ${JSON.stringify(cell.view)})`;
    if (cell.kind !== "count" && cell.kind !== "mean") throw new Error(`${where}: kind ${describeValue(cell.kind)} is neither "count" nor "mean"`);
    finite(cell.trueValue, `${where}: trueValue`);
    const terms = normalTerms(cell.terms, n, where);
    let divisorTerms: LinearTerm[] | null = null;
    if (cell.kind === "mean") {
      if (cell.divisor !== null) {
        if (finite(cell.divisor, `${where}: divisor`) <= 0) throw new Error(`${where}: divisor ${cell.divisor} must be positive`);
      } else if (cell.divisorTerms) {
        divisorTerms = normalTerms(cell.divisorTerms, n, `${where}, divisorTerms`);
        if (divisorTerms.length === 0) throw new Error(`${where}: divisorTerms has no variable`);
      } else if (cell.countCell === undefined) {
        throw new Error(`${where}: a mean whose divisor is unknown (null) needs divisorTerms (preferred) or countCell`);
      } else {
        const count = cellIds.get(cell.countCell);
        if (!count || count.kind !== "count") throw new Error(`${where}: countCell ${JSON.stringify(cell.countCell)} is not the id of a count cell`);
      }
    }
    return { cell, terms, divisorTerms };
  });
  return { lower, upper, rows: [...unique.values()], cells };
}

// ---------------------------------------------------------------------------------------------
// Components.

class UnionFind {
  private parent: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n).map((_, i) => i);
  }
  find(i: number): number {
    while (this.parent[i] !== i) {
      this.parent[i] = this.parent[this.parent[i]];
      i = this.parent[i];
    }
    return i;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

interface Component {
  vars: number[];
  rows: Row[];
}

// ---------------------------------------------------------------------------------------------
// LP text (CPLEX LP format) and the persistent models.

/** A number as LP text; only finite numbers reach here (a parse error aborts the wasm runtime). */
function num(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`internal: non-finite number ${value} in LP text`);
  return String(value);
}

function linear(terms: { name: string; c: number }[]): string {
  return terms.map(({ name, c }) => (c < 0 ? ` - ${num(-c)} ${name}` : ` + ${num(c)} ${name}`)).join("");
}

const DUAL_EPS = 1e-7;

function eps(value: number): number {
  return 1e-6 * Math.max(1, Math.abs(value));
}

/** Snaps solver noise (2.9999999998) onto the integer it stands for. */
function snap(value: number): number {
  if (!Number.isFinite(value)) return value;
  const r = Math.round(value);
  return Math.abs(value - r) <= 1e-7 * Math.max(1, Math.abs(value)) ? r + 0 : value;
}

interface Bound {
  min: number;
  max: number;
  pinned: Set<number>;
}

class Counter {
  solves = 0;
  /** Count cells shown wide by the optima already found, without a solve of their own. */
  fromPoints = 0;
}

/** Optima kept per component for `PlainModel.spread`. */
const MAX_POINTS = 64;

/** The variables of a component and their model columns. */
abstract class ComponentModel {
  protected model: Model;
  protected rowFact: (number[] | null)[] = [];
  constructor(
    protected readonly highs: Highs,
    lp: string,
    protected readonly counter: Counter,
  ) {
    this.model = highs.createModel({ format: "lp", data: lp });
    // Primal simplex: after a change of objective the previous basis stays primal feasible, so
    // a cell takes a few iterations (dual simplex would restart from a dual-infeasible basis).
    this.model.options.set({ output_flag: false, presolve: "off", simplex_strategy: 4 });
  }

  /** Name → index of every column and row, in O(size) (getColByName is a search per call). */
  protected names(): { cols: Map<string, number>; rows: Map<string, number> } {
    const dims = this.model.getDimensions();
    const cols = new Map<string, number>();
    const rows = new Map<string, number>();
    for (let i = 0; i < dims.numCols; i++) cols.set(this.model.getColName(i), i);
    for (let i = 0; i < dims.numRows; i++) rows.set(this.model.getRowName(i), i);
    this.rowFact = new Array(dims.numRows).fill(null);
    return { cols, rows };
  }

  protected abstract column(v: number): number;

  /** A primal solution of the component's facts (an optimum just found): kept by models that reuse them. */
  protected seen(_colValue: Float64Array): void {}

  /** Zero costs: is the model feasible? (With no cost it cannot be unbounded.) */
  protected feasible(): boolean {
    this.counter.solves++;
    const status = this.model.run().modelStatus;
    const { modelStatus } = this.highs.constants;
    return status !== modelStatus.infeasible && status !== modelStatus.unboundedOrInfeasible;
  }

  /** Called when a solve ends infeasible (or unbounded-or-infeasible and zero costs say infeasible). */
  protected infeasible(): never {
    throw new Error("internal: an audit component became infeasible after its feasibility check");
  }

  protected solveBound(sense: "min" | "max", costs: LinearTerm[]): { value: number; pinned: number[] } {
    const { objectiveSense, modelStatus } = this.highs.constants;
    this.model.changeObjectiveSense(sense === "min" ? objectiveSense.minimize : objectiveSense.maximize);
    this.counter.solves++;
    const status = this.model.run().modelStatus;
    if (status === modelStatus.infeasible) this.infeasible();
    if (status === modelStatus.unboundedOrInfeasible) {
      // Decide with zero costs (then it cannot be unbounded).
      for (const { v } of costs) this.model.changeColCost(this.column(v), 0);
      const feasible = this.feasible();
      for (const { v, c } of costs) this.model.changeColCost(this.column(v), c);
      if (!feasible) this.infeasible();
    }
    if (status === modelStatus.unbounded || status === modelStatus.unboundedOrInfeasible) {
      return { value: sense === "min" ? -Infinity : Infinity, pinned: [] };
    }
    if (status !== modelStatus.optimal) throw new Error(`the LP solver stopped with status ${status} (not optimal) on a feasible audit component`);
    const solution = this.model.getSolution();
    this.seen(solution.colValue);
    const duals = solution.rowDual;
    const pinned: number[] = [];
    for (let r = 0; r < duals.length; r++) {
      const facts = this.rowFact[r];
      if (facts && Math.abs(duals[r]) > DUAL_EPS) pinned.push(...facts);
    }
    return { value: this.model.getObjectiveValue(), pinned };
  }

  /** Feasibility with a zero objective; an IIS names the conflict otherwise (null: feasible). */
  feasibleOrConflict(rowIds: (string[] | null)[]): string[] | null {
    if (this.feasible()) return null;
    try {
      this.model.options.set({ iis_strategy: this.highs.constants.iis.strategyRowPriority });
      const iis = this.model.getIis();
      return [...new Set([...iis.rowIndex].flatMap((r) => rowIds[r] ?? []))];
    } catch {
      return [];
    }
  }

  dispose(): void {
    try {
      this.model.dispose();
    } catch {
      // The runtime aborted; its memory is gone with it.
    }
  }
}

/** The component's own LP: columns x<j>, rows c<i>; a cell is a change of objective. */
class PlainModel extends ComponentModel {
  private col = new Map<number, number>();
  readonly rowIds: (string[] | null)[];

  constructor(highs: Highs, component: Component, lower: Float64Array, upper: Float64Array, counter: Counter) {
    super(highs, PlainModel.text(component, lower, upper), counter);
    const names = this.names();
    for (const j of component.vars) this.col.set(j, names.cols.get(`x${j}`)!);
    this.rowIds = new Array(this.rowFact.length).fill(null);
    for (const row of component.rows) {
      const r = names.rows.get(`c${row.index}`)!;
      if (row.lower > -Infinity && row.upper < Infinity && row.lower !== row.upper) this.model.changeRowBounds(r, row.lower, row.upper);
      this.rowFact[r] = row.facts.length > 0 ? row.facts : null;
      this.rowIds[r] = row.ids;
    }
  }

  static text(component: Component, lower: Float64Array, upper: Float64Array): string {
    const lines = ["Minimize", " obj:", "Subject To"];
    for (const row of component.rows) {
      const expr = linear(row.terms.map(({ v, c }) => ({ name: `x${v}`, c })));
      // A ranged row is written with its lower side; its upper side is set after loading.
      const rhs = row.lower === row.upper ? ` = ${num(row.lower)}` : row.lower > -Infinity ? ` >= ${num(row.lower)}` : ` <= ${num(row.upper)}`;
      lines.push(` c${row.index}:${expr}${rhs}`);
    }
    lines.push("Bounds");
    for (const j of component.vars) {
      const lo = lower[j];
      const up = upper[j];
      // Every variable is listed, so that each has a column even if no row names it.
      if (lo === -Infinity && up === Infinity) lines.push(` x${j} free`);
      else if (up === Infinity) lines.push(` x${j} >= ${num(lo)}`);
      else lines.push(` ${lo === -Infinity ? "-inf" : num(lo)} <= x${j} <= ${num(up)}`);
    }
    lines.push("End");
    return lines.join("\n");
  }

  protected column(v: number): number {
    return this.col.get(v)!;
  }

  /**
   * The last optima found (each a point satisfying every fact of the component): a cell's value
   * at any of them is a value the facts allow, so a spread seen there is part of its range.
   */
  private points: Float64Array[] = [];
  private nextPoint = 0;

  protected seen(colValue: Float64Array): void {
    const point = Float64Array.from(colValue);
    if (this.points.length < MAX_POINTS) this.points.push(point);
    else this.points[this.nextPoint++ % MAX_POINTS] = point;
  }

  /** The smallest and largest value of `terms` over the kept optima; null before any. */
  spread(terms: LinearTerm[]): { min: number; max: number } | null {
    if (this.points.length === 0) return null;
    let min = Infinity;
    let max = -Infinity;
    for (const point of this.points) {
      let value = 0;
      for (const { v, c } of terms) value += c * point[this.col.get(v)!];
      if (value < min) min = value;
      if (value > max) max = value;
    }
    return { min, max };
  }

  /** `maxOnly`: the upper bound alone (min left at −∞), for a cell its maximum may show wide. */
  range(terms: LinearTerm[], maxOnly = false): Bound {
    for (const { v, c } of terms) this.model.changeColCost(this.col.get(v)!, c);
    try {
      const max = this.solveBound("max", terms);
      if (maxOnly) return { min: -Infinity, max: max.value, pinned: new Set(max.pinned) };
      const min = this.solveBound("min", terms);
      return { min: min.value, max: max.value, pinned: new Set([...min.pinned, ...max.pinned]) };
    } finally {
      for (const { v } of terms) this.model.changeColCost(this.col.get(v)!, 0);
    }
  }
}

/**
 * The Charnes–Cooper transform of a component, for the ratio (c·x)/(d·x) with d·x ≥ 1:
 * y = t·x, t = 1/(d·x) ∈ (0, 1]; each row l ≤ a·x ≤ u becomes a·y − l·t ≥ 0 and a·y − u·t ≤ 0,
 * each bound l ≤ x_j ≤ u becomes y_j − l·t ≥ 0 and y_j − u·t ≤ 0, and the row n is d·y = 1.
 * The divisor is swapped by changing the coefficients of row n.
 */
class RatioModel extends ComponentModel {
  private col = new Map<number, number>();
  private normRow: number;
  private divisor: LinearTerm[];
  private where: string;

  constructor(highs: Highs, component: Component, lower: Float64Array, upper: Float64Array, divisor: LinearTerm[], counter: Counter, where: string) {
    const { text, owners } = RatioModel.text(component, lower, upper, divisor);
    super(highs, text, counter);
    const names = this.names();
    for (const j of component.vars) this.col.set(j, names.cols.get(`y${j}`)!);
    for (const [name, fact] of owners) this.rowFact[names.rows.get(name)!] = fact;
    this.normRow = names.rows.get("n")!;
    this.divisor = divisor;
    this.where = where;
  }

  protected column(v: number): number {
    return this.col.get(v)!;
  }

  static text(component: Component, lower: Float64Array, upper: Float64Array, divisor: LinearTerm[]) {
    const owners: [string, number[]][] = [];
    const lines = ["Minimize", " obj:", "Subject To"];
    const side = (name: string, terms: LinearTerm[], bound: number, op: ">=" | "<=" | "=", fact: number[] | null) => {
      const expr = linear([...terms.map(({ v, c }) => ({ name: `y${v}`, c })), ...(bound !== 0 ? [{ name: "t", c: -bound }] : [])]);
      lines.push(` ${name}:${expr} ${op} 0`);
      if (fact !== null) owners.push([name, fact]);
    };
    for (const row of component.rows) {
      const fact = row.facts.length > 0 ? row.facts : null;
      if (row.lower === row.upper) side(`c${row.index}`, row.terms, row.lower, "=", fact);
      else {
        if (row.lower > -Infinity) side(`c${row.index}l`, row.terms, row.lower, ">=", fact);
        if (row.upper < Infinity) side(`c${row.index}u`, row.terms, row.upper, "<=", fact);
      }
    }
    const bounds: string[] = [];
    for (const j of component.vars) {
      const lo = lower[j];
      const up = upper[j];
      if (lo !== 0 && lo > -Infinity) side(`b${j}l`, [{ v: j, c: 1 }], lo, ">=", null);
      if (up < Infinity) side(`b${j}u`, [{ v: j, c: 1 }], up, "<=", null);
      // y_j ≥ 0 follows from x_j ≥ 0 and t ≥ 0; a negative lower bound leaves y_j free.
      // Every variable is listed, so that each has a column even if no row names it.
      bounds.push(lo < 0 ? ` y${j} free` : ` y${j} >= 0`);
    }
    lines.push(` n:${linear(divisor.map(({ v, c }) => ({ name: `y${v}`, c })))} = 1`);
    lines.push("Bounds", ...bounds, " 0 <= t <= 1", "End");
    return { text: lines.join("\n"), owners };
  }

  /** The facts being feasible, the transform is infeasible only when d·x ≥ 1 is impossible. */
  protected infeasible(): never {
    throw new Error(`${this.where}: its divisor (divisorTerms) cannot be 1 or more under the published facts, so the mean cannot exist: the divisor's terms are wrong`);
  }

  range(numerator: LinearTerm[], divisor: LinearTerm[], where: string): Bound {
    if (!sameTerms(divisor, this.divisor)) {
      for (const { v } of this.divisor) this.model.changeCoefficient(this.normRow, this.col.get(v)!, 0);
      for (const { v, c } of divisor) this.model.changeCoefficient(this.normRow, this.col.get(v)!, c);
      this.divisor = divisor;
      this.where = where;
    }
    for (const { v, c } of numerator) this.model.changeColCost(this.col.get(v)!, c);
    try {
      const min = this.solveBound("min", numerator);
      const max = this.solveBound("max", numerator);
      return { min: min.value, max: max.value, pinned: new Set([...min.pinned, ...max.pinned]) };
    } finally {
      for (const { v } of numerator) this.model.changeColCost(this.col.get(v)!, 0);
    }
  }
}

function sameTerms(a: LinearTerm[], b: LinearTerm[]): boolean {
  return a.length === b.length && a.every((t, i) => t.v === b[i].v && t.c === b[i].c);
}

function termsKey(terms: LinearTerm[]): string {
  return terms.map(({ v, c }) => `${v}:${c}`).join(",");
}

// ---------------------------------------------------------------------------------------------
// The audit.

/**
 * The range of every protected cell consistent with all published facts, and whether it is
 * wide enough (see the header comment for the rules). Cells come back in input order.
 */
export async function auditRanges(
  problem: AuditProblem,
  options: AuditOptions & { onStats?: (stats: AuditStats) => void } = {},
): Promise<CellRange[]> {
  const minCountValues = options.minCountValues ?? 3;
  const minMeanRange = options.minMeanRange ?? 1;
  const checked = check(problem);
  const { lower, upper, rows } = checked;
  const n = problem.variables.length;
  const size = `${n} variables, ${problem.facts.length} facts, ${problem.structural.length} structural constraints, ${problem.cells.length} cells`;

  // Components: variables linked by a row, and the numerator and divisor of a ratio cell.
  const uf = new UnionFind(n);
  for (const row of rows) for (const t of row.terms) uf.union(row.terms[0].v, t.v);
  for (const { terms, divisorTerms } of checked.cells) {
    if (!divisorTerms) continue;
    const all = [...terms, ...divisorTerms];
    for (const t of all) uf.union(all[0].v, t.v);
  }
  const components = new Map<number, Component>();
  const componentOf = (root: number): Component => {
    let component = components.get(root);
    if (!component) components.set(root, (component = { vars: [], rows: [] }));
    return component;
  };
  const constrained = new Uint8Array(n);
  for (const row of rows) {
    componentOf(uf.find(row.terms[0].v)).rows.push(row);
    for (const t of row.terms) constrained[t.v] = 1;
  }
  for (const { divisorTerms, terms } of checked.cells) {
    if (divisorTerms) for (const t of [...terms, ...divisorTerms]) constrained[t.v] = 1;
  }
  for (let j = 0; j < n; j++) if (constrained[j]) componentOf(uf.find(j)).vars.push(j);

  const counter = new Counter();
  let partsFromBounds = 0;
  const highs = components.size > 0 ? await loadSolver() : null;
  const plain = new Map<number, PlainModel>();
  const ratio = new Map<number, RatioModel>();
  const plainCache = new Map<string, Bound>();
  try {
    const plainModel = (root: number): PlainModel => {
      let model = plain.get(root);
      if (!model) {
        const component = components.get(root)!;
        model = new PlainModel(highs!, component, lower, upper, counter);
        plain.set(root, model);
        const conflict = model.feasibleOrConflict(model.rowIds);
        if (conflict) {
          const facts = component.rows.reduce((sum, r) => sum + r.facts.length, 0);
          const subset = conflict.length > 0 ? `an infeasible subset: ${conflict.map((id) => JSON.stringify(id)).join(", ")}` : "the solver found no smaller infeasible subset";
          throw new AuditInfeasibleError(
            `the published facts contradict each other (audit problem: ${size}; in a group of ${component.vars.length} variables and ${facts} facts linked together): ${subset}. The code that turned the figures into equations is wrong.`,
            conflict,
          );
        }
      }
      return model;
    };

    /** Σ over components of the part's range; parts with no constraint come from the bounds. */
    const linearRange = (terms: LinearTerm[], maxOnly = false): Bound => {
      const parts = new Map<number, LinearTerm[]>();
      const out: Bound = { min: 0, max: 0, pinned: new Set() };
      for (const t of terms) {
        const root = uf.find(t.v);
        if (!components.get(root)?.rows.length) {
          const lo = t.c > 0 ? lower[t.v] : upper[t.v];
          const up = t.c > 0 ? upper[t.v] : lower[t.v];
          out.min += t.c * lo;
          out.max += t.c * up;
          partsFromBounds++;
          continue;
        }
        const part = parts.get(root);
        if (part) part.push(t);
        else parts.set(root, [t]);
      }
      for (const [root, part] of parts) {
        const key = `${root}|${termsKey(part)}`;
        let bound = plainCache.get(key) ?? (maxOnly ? plainCache.get(`max|${key}`) : undefined);
        if (!bound) {
          bound = plainModel(root).range(part, maxOnly);
          plainCache.set(maxOnly ? `max|${key}` : key, bound);
        }
        out.min += bound.min;
        out.max += bound.max;
        for (const f of bound.pinned) out.pinned.add(f);
      }
      return out;
    };

    /**
     * The spread of `terms` over points the facts allow, combined over components (each
     * component's points can be chosen independently); null when a component has none yet.
     */
    const spreadOf = (terms: LinearTerm[]): { min: number; max: number } | null => {
      const parts = new Map<number, LinearTerm[]>();
      let min = 0;
      let max = 0;
      for (const t of terms) {
        const root = uf.find(t.v);
        if (!components.get(root)?.rows.length) {
          min += t.c * (t.c > 0 ? lower[t.v] : upper[t.v]);
          max += t.c * (t.c > 0 ? upper[t.v] : lower[t.v]);
          continue;
        }
        const part = parts.get(root);
        if (part) part.push(t);
        else parts.set(root, [t]);
      }
      for (const [root, part] of parts) {
        const spread = plainModel(root).spread(part);
        if (!spread) return null;
        min += spread.min;
        max += spread.max;
      }
      return { min, max };
    };

    // Feasibility of every component first: a contradiction is reported even if no cell touches it.
    for (const root of components.keys()) if (components.get(root)!.rows.length > 0) plainModel(root);

    const results: CellRange[] = [];
    const countResults = new Map<string, CellRange>();
    const deferred: { index: number; countCell: string }[] = [];
    for (const { cell, terms, divisorTerms } of checked.cells) {
      if (cell.kind === "mean" && cell.divisor === null && !divisorTerms) {
        // No range of the mean itself: judged by its count cell (the conservative rule above).
        deferred.push({ index: results.length, countCell: cell.countCell! });
        results.push({ id: cell.id, view: cell.view, kind: cell.kind, trueValue: cell.trueValue, min: -Infinity, max: Infinity, ok: true, pinnedBy: [], pinnedViews: [] });
        continue;
      }
      let bound: Bound;
      let min: number;
      let max: number;
      if (divisorTerms) {
        const root = uf.find(terms.length > 0 ? terms[0].v : divisorTerms[0].v);
        const where = `cell ${JSON.stringify(cell.id)} (view ${JSON.stringify(cell.view)})`;
        let model = ratio.get(root);
        if (!model) {
          model = new RatioModel(highs!, components.get(root)!, lower, upper, divisorTerms, counter, where);
          ratio.set(root, model);
        }
        bound = model.range(terms, divisorTerms, where);
        min = snap(bound.min);
        max = snap(bound.max);
      } else {
        if (!(options.skipLowerWhenWide && cell.kind === "count")) bound = linearRange(terms);
        else {
          // Wide from points already known: the true point and the optima found for other cells
          // all satisfy the facts, so the values they give the cell are part of its range.
          const known = spreadOf(terms);
          const enough = (min: number, max: number) => Math.floor(max + eps(max)) - Math.ceil(min - eps(min)) + 1 >= minCountValues;
          if (known && enough(Math.min(known.min, cell.trueValue), Math.max(known.max, cell.trueValue))) {
            counter.fromPoints++;
            bound = { min: Math.min(known.min, cell.trueValue), max: Math.max(known.max, cell.trueValue), pinned: new Set() };
          } else {
            // Wide from above alone: truth + 2 ≤ max gives three values (truth, truth + 1, truth + 2).
            const upperOnly = linearRange(terms, true);
            if (Math.floor(snap(upperOnly.max) + eps(upperOnly.max)) >= cell.trueValue + minCountValues - 1) bound = { ...upperOnly, min: cell.trueValue };
            else bound = linearRange(terms);
          }
        }
        min = snap(bound.min);
        max = snap(bound.max);
        if (cell.kind === "mean") {
          min /= cell.divisor!;
          max /= cell.divisor!;
        }
      }
      if (max < min) max = min; // solver noise on a determined cell
      const truth = cell.trueValue;
      if (truth < min - eps(min) || truth > max + eps(max)) {
        throw new Error(
          `cell ${JSON.stringify(cell.id)} (view ${JSON.stringify(cell.view)}): its true value ${truth} lies outside the range [${min}, ${max}] that the published facts allow (for a mean, trueValue is the mean itself): a fact, a structural constraint or the cell's terms are wrong (audit problem: ${size})`,
        );
      }
      const pinnedBy = [...bound.pinned].sort((a, b) => a - b).map((i) => problem.facts[i].id);
      const pinnedViews = [...new Set([...bound.pinned].sort((a, b) => a - b).map((i) => problem.facts[i].view))];
      const result: CellRange = { id: cell.id, view: cell.view, kind: cell.kind, trueValue: truth, min, max, ok: true, pinnedBy, pinnedViews };
      if (cell.kind === "count") {
        const values = max === Infinity || min === -Infinity ? Infinity : Math.floor(max + eps(max)) - Math.ceil(min - eps(min)) + 1;
        result.values = Math.max(0, values);
        result.ok = result.values >= minCountValues;
        countResults.set(cell.id, result);
      } else {
        result.ok = max - min >= minMeanRange - 1e-9;
      }
      results.push(result);
    }
    for (const { index, countCell } of deferred) {
      const count = countResults.get(countCell)!;
      Object.assign(results[index], { ok: count.ok, pinnedBy: count.pinnedBy, pinnedViews: count.pinnedViews });
    }

    let largest = { variables: 0, rows: 0 };
    let withRows = 0;
    for (const component of components.values()) {
      if (component.rows.length === 0) continue;
      withRows++;
      if (component.vars.length + component.rows.length > largest.variables + largest.rows) largest = { variables: component.vars.length, rows: component.rows.length };
    }
    options.onStats?.({
      variables: n,
      facts: problem.facts.length,
      structural: problem.structural.length,
      cells: problem.cells.length,
      components: withRows,
      largestComponent: largest,
      lpSolves: counter.solves,
      countsFromPoints: counter.fromPoints,
      partsFromBounds,
    });
    return results;
  } catch (error) {
    return solverFailed(error);
  } finally {
    for (const model of plain.values()) model.dispose();
    for (const model of ratio.values()) model.dispose();
  }
}
