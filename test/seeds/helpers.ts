/** Reading the generated exports back in tests: a small CSV parser and the pair features. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import iconv from "iconv-lite";

export type Record_ = Record<string, string>;

/** Parses RFC 4180 CSV (quotes, doubled quotes, line breaks inside quotes, CRLF or LF). */
export function parseCsv(text: string, delimiter: string): Record_[] {
  const rows: string[][] = [];
  let field = "";
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      // the \n ends the record
    } else if (c === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const [header, ...body] = rows;
  return body.map((cells) => {
    if (cells.length !== header.length) throw new Error(`row of ${cells.length} cells, header has ${header.length}: ${cells.join("|")}`);
    return Object.fromEntries(header.map((name, i) => [name, cells[i]]));
  });
}

export const TABLES = ["programs", "organizations", "participants", "topics", "pairs", "meetings", "pair_topics", "evaluations", "costs"] as const;
export type Export = Record<(typeof TABLES)[number], Record_[]>;

export function readExport(dir: string, french: boolean): Export {
  const result = {} as Export;
  for (const table of TABLES) {
    const bytes = readFileSync(join(dir, `${table}.csv`));
    const text = french ? iconv.decode(bytes, "win1252") : bytes.toString("utf8");
    result[table] = parseCsv(text, french ? ";" : ",");
  }
  return result;
}

/** A date of either spelling as an ISO string. */
export function iso(value: string): string {
  const fr = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value);
  return fr ? `${fr[3]}-${fr[2]}-${fr[1]}` : value;
}

export interface LabelledPair {
  pairId: string;
  features: number[];
  success: boolean;
  endedEarly: boolean;
}

export const FEATURE_NAMES = ["topicFit", "sameCity", "ageGapDistance", "crossCompany", "jobLevelGap"] as const;

/**
 * The pair features as a matching model would compute them from the export, and the label of
 * the matching issue: success = not ended early and every mid-point answer ≥ 4. Unlabelled
 * pairs (no mid-point answer, not ended early) are left out.
 */
export function labelledPairs(data: Export): LabelledPair[] {
  const people = new Map(data.participants.map((p) => [p.participant_id, p]));
  const answers = new Map<string, number[]>();
  for (const e of data.evaluations) {
    if (e.phase !== "midpoint") continue;
    const list = answers.get(e.pair_id) ?? [];
    list.push(Number(e.satisfaction));
    answers.set(e.pair_id, list);
  }
  const result: LabelledPair[] = [];
  for (const pair of data.pairs) {
    const mentor = people.get(pair.mentor_id)!;
    const mentee = people.get(pair.mentee_id)!;
    const endedEarly = pair.status === "ended_early";
    const mid = answers.get(pair.pair_id);
    if (!endedEarly && !mid) continue;
    const sought = mentee.topics ? mentee.topics.split("|") : [];
    const offered = new Set(mentor.topics ? mentor.topics.split("|") : []);
    const topicFit = sought.length === 0 ? 1 : sought.filter((t) => offered.has(t)).length / sought.length;
    const gap = Number(mentee.birth_year) - Number(mentor.birth_year);
    result.push({
      pairId: pair.pair_id,
      features: [
        topicFit,
        mentor.city === mentee.city ? 1 : 0,
        Math.abs(gap - 15),
        mentor.org_id === mentee.org_id ? 0 : 1,
        Math.abs(Number(mentor.job_level) - Number(mentee.job_level)),
      ],
      success: !endedEarly && mid!.every((s) => s >= 4),
      endedEarly,
    });
  }
  return result;
}

/** Logistic regression by Newton–Raphson; returns [intercept, ...coefficients]. */
export function fitLogistic(x: number[][], y: boolean[]): number[] {
  const p = x[0].length + 1;
  let beta = new Array<number>(p).fill(0);
  for (let iteration = 0; iteration < 50; iteration++) {
    const gradient = new Array<number>(p).fill(0);
    const hessian = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    for (let i = 0; i < x.length; i++) {
      const row = [1, ...x[i]];
      const eta = row.reduce((s, v, j) => s + v * beta[j], 0);
      const mu = 1 / (1 + Math.exp(-eta));
      const w = mu * (1 - mu);
      for (let j = 0; j < p; j++) {
        gradient[j] += (Number(y[i]) - mu) * row[j];
        for (let k = 0; k < p; k++) hessian[j][k] += w * row[j] * row[k];
      }
    }
    const step = solve(hessian, gradient);
    beta = beta.map((b, j) => b + step[j]);
    if (Math.max(...step.map(Math.abs)) < 1e-9) break;
  }
  return beta;
}

function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r][col] / m[col][col];
      for (let c = col; c <= n; c++) m[r][c] -= f * m[col][c];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}

export function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

export function sd(values: number[]): number {
  const m = mean(values);
  return Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / (values.length - 1));
}
