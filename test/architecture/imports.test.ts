/**
 * The layout of the sources, checked on their import statements (decision 0015,
 * docs/decisions/0015-layers-and-entry-points.md):
 *
 *   cli/  →  server/  →  app/  →  analytics/  (→ sql/ files, read at run time)
 *
 * and, inside analytics/, a layer order between its folders (LAYERS below): a module imports
 * only from its own folder or from a lower layer. No import cycle anywhere, no dynamic import
 * of a project module under analytics/ (it would hide an edge), no module importing a CLI, and
 * no route or component under app/ importing DuckDB (routes ask analytics/ for data).
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const SOURCE_DIRS = ["analytics", "app", "server", "cli", "seeds"];

/**
 * The layers of analytics/, lowest first. A folder (or a file directly under analytics/) may
 * import from the folders of lower layers only; folders of one layer do not import each other.
 */
export const LAYERS: readonly (readonly string[])[] = [
  // Pure rules and settings: identifiers, generations, the server's configuration.
  ["domain", "config.server.ts"],
  // Pure estimators over domain rules, no I/O: the impact figures (issue 13, decision 0020).
  ["impact"],
  // The database lifecycle: open, migrate, transactions, the server's connections, SQL files.
  ["db"],
  // Libraries over the database, independent of each other.
  ["auth", "health", "ingest", "matching", "metrics"],
  // The suppression rules across views, over the metrics.
  ["privacy"],
  // The program report (issue 3's JSON contract and its CSV/Markdown), which applies them.
  ["report"],
  // The dashboards' pages (over the report, privacy, matching) and the data operations (over
  // ingest, metrics, auth).
  ["dashboards", "ops"],
  // The programs list and comparison (over the dashboards' pages), and the intruder audit,
  // which enumerates those pages' views and the report.
  ["programs", "audit"],
];

/** The top-level folders in order: a folder imports from the ones before it only. */
const TOP_ORDER = ["analytics", "app", "server", "cli"];

interface Edge {
  from: string;
  to: string;
  /** A bare package name when the import is not of a project file. */
  external: boolean;
  dynamic: boolean;
  typeOnly: boolean;
}

function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.tsx?$/.test(name) && !name.endsWith(".d.ts")) files.push(relative(ROOT, path).split(sep).join("/"));
    }
  };
  for (const dir of SOURCE_DIRS) if (existsSync(join(ROOT, dir))) walk(join(ROOT, dir));
  return files.sort();
}

function resolveSpecifier(from: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith("~/")) base = join(ROOT, "app", specifier.slice(2));
  else if (specifier.startsWith(".")) base = resolve(ROOT, dirname(from), specifier);
  else return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts")]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return relative(ROOT, candidate).split(sep).join("/");
  }
  return relative(ROOT, base).split(sep).join("/");
}

/** Every import, re-export and dynamic `import("…")` of a file. */
export function importsOf(file: string, source = readFileSync(join(ROOT, file), "utf8")): Edge[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const edges: Edge[] = [];
  const add = (specifier: string, dynamic: boolean, typeOnly: boolean) => {
    const to = resolveSpecifier(file, specifier);
    edges.push({ from: file, to: to ?? specifier, external: to === null, dynamic, typeOnly });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly = !!clause && (clause.isTypeOnly || (!clause.name && !!clause.namedBindings && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier.text, false, typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, false, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteralLike(arg)) add(arg.text, true, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return edges;
}

const topOf = (file: string) => file.split("/")[0];
/** The analytics/ folder of a file (or the file's own name when it sits directly in analytics/). */
const folderOf = (file: string) => file.split("/")[1];
const isCli = (file: string) => topOf(file) === "cli" || /(^|\/|-)cli\.tsx?$/.test(file);

function layerOf(folder: string): number {
  return LAYERS.findIndex((layer) => layer.includes(folder));
}

/** The import cycles (strongly connected components of more than one module, or a self-import). */
export function findCycles(edges: Edge[]): string[][] {
  const graph = new Map<string, string[]>();
  for (const e of edges) if (!e.external) graph.set(e.from, [...(graph.get(e.from) ?? []), e.to]);
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const connect = (v: string) => {
    indices.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!));
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) connect(v);
  return cycles;
}

/** What breaks the layout: one line per offending import. */
export function layoutViolations(edges: Edge[]): string[] {
  const problems: string[] = [];
  for (const e of edges) {
    const line = `${e.from} -> ${e.to}`;
    if (e.external) {
      if (topOf(e.from) === "app" && e.to.startsWith("@duckdb/")) problems.push(`${line}: app/ must not use DuckDB; ask analytics/ for the data`);
      continue;
    }
    const [fromTop, toTop] = [topOf(e.from), topOf(e.to)];
    if (isCli(e.to) && !(fromTop === "cli" && e.to === "cli/common.ts")) {
      problems.push(`${line}: a CLI is an entry point, never imported (shared CLI helpers live in cli/common.ts)`);
      continue;
    }
    if (fromTop === "analytics" && e.dynamic) problems.push(`${line}: a dynamic import hides a dependency; import it statically (or fix the loop it avoids)`);
    const [fromRank, toRank] = [TOP_ORDER.indexOf(fromTop), TOP_ORDER.indexOf(toTop)];
    if (fromRank >= 0 && toRank > fromRank) problems.push(`${line}: ${fromTop}/ must not import ${toTop}/ (order: ${TOP_ORDER.join(" < ")})`);
    if (fromTop === "analytics" && toTop === "seeds") problems.push(`${line}: analytics/ must not import the demo generator`);
    if (fromTop !== "analytics" || toTop !== "analytics") continue;
    const [fromFolder, toFolder] = [folderOf(e.from), folderOf(e.to)];
    if (fromFolder === toFolder) continue;
    const [a, b] = [layerOf(fromFolder), layerOf(toFolder)];
    if (a < 0 || b < 0) {
      problems.push(`${line}: place analytics/${a < 0 ? fromFolder : toFolder} in LAYERS (test/architecture/imports.test.ts and decision 0015)`);
      continue;
    }
    if (b >= a) {
      problems.push(`${line}: analytics/${fromFolder} (layer ${a}) must not import analytics/${toFolder} (layer ${b})`);
    }
  }
  return problems;
}

describe("the import graph", () => {
  const edges = sourceFiles().flatMap((file) => importsOf(file));

  it("finds the imports (the parser sees static, type-only, re-exported and dynamic imports)", () => {
    const sample = importsOf(
      "analytics/x/y.ts",
      'import a from "./a.ts";\nimport type { B } from "../db/b.ts";\nexport { c } from "~/c.ts";\nconst d = await import("../d.ts");\nimport "node:fs";',
    );
    expect(sample.map((e) => [e.to, e.dynamic, e.typeOnly, e.external])).toEqual([
      ["analytics/x/a.ts", false, false, false],
      ["analytics/db/b.ts", false, true, false],
      ["app/c.ts", false, false, false],
      ["analytics/d.ts", true, false, false],
      ["node:fs", false, false, true],
    ]);
    expect(edges.length).toBeGreaterThan(300);
  });

  it("has no import cycle", () => {
    expect(findCycles(edges).map((c) => c.join(" ↔ "))).toEqual([]);
  });

  it("imports only downwards: cli/ → server/ → app/ → analytics/, and down the layers of analytics/", () => {
    expect(layoutViolations(edges)).toEqual([]);
  });

  it("places every analytics/ folder in exactly one layer", () => {
    const folders = new Set(sourceFiles().filter((f) => topOf(f) === "analytics").map(folderOf));
    const placed = LAYERS.flat();
    expect([...folders].filter((f) => !placed.includes(f))).toEqual([]);
    expect(placed.length).toBe(new Set(placed).size);
  });

  it("rejects what it is meant to reject", () => {
    const made = (from: string, to: string, dynamic = false): Edge => ({ from, to, external: !to.includes("/") || to.startsWith("@"), dynamic, typeOnly: false });
    expect(layoutViolations([made("app/routes/x.tsx", "@duckdb/node-api")])).toHaveLength(1);
    expect(layoutViolations([made("analytics/db/a.server.ts", "analytics/ops/b.server.ts")])).toHaveLength(1);
    expect(layoutViolations([made("analytics/ops/a.server.ts", "cli/ingest.ts")])).toHaveLength(1);
    expect(layoutViolations([made("cli/ingest.ts", "cli/report.ts")])).toHaveLength(1);
    expect(layoutViolations([made("analytics/ops/a.server.ts", "analytics/ops/b.server.ts", true)])).toHaveLength(1);
    expect(layoutViolations([made("cli/ingest.ts", "analytics/ops/a.server.ts"), made("cli/ingest.ts", "cli/common.ts")])).toEqual([]);
    expect(findCycles([made("a.ts", "b.ts"), made("b.ts", "c.ts"), made("c.ts", "a.ts")].map((e) => ({ ...e, external: false })))).toEqual([["a.ts", "b.ts", "c.ts"]]);
  });
});
