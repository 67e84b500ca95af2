import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * SQL lives in `sql/` (loaded with `loadSql`); statements that must be built (per table name,
 * per column list) are built in the one generated-SQL module, with its one quoting helper. This
 * test reads every string literal and template string of the TypeScript sources and fails on
 * one shaped like a SQL statement anywhere else, and on any SQL under `app/`.
 */

const ROOT = resolve(import.meta.dirname, "../..");
const SCANNED = ["analytics", "app", "server", "seeds", "bench"];
/** The one module allowed to build SQL text. */
const GENERATED_SQL_MODULE = "analytics/db/generated-sql.server.ts";

/**
 * A statement, not prose: each alternative needs the keyword order only SQL has, and the
 * words a sentence would not put there (`select … from <ident>`, `insert into <ident>`,
 * `update <ident> set`, `create table`, …). Case-insensitive; prose such as "select a file
 * from the list" is rejected because it needs a column list and a `from` followed by a name
 * then a clause or the end.
 */
const SQL_SHAPES: RegExp[] = [
  /\bselect\b[\s\S]+?\bfrom\s+[\w"($]/i,
  /\binsert\s+(or\s+\w+\s+)?into\s+[\w"$]/i,
  /\bupdate\s+[\w".$]+\s+set\s+[\w"]+\s*=/i,
  /\bdelete\s+from\s+[\w"$]/i,
  /\b(create|drop)\s+(or\s+replace\s+)?(temp\s+|temporary\s+)?(table|view|index|macro|schema|sequence|type)\b/i,
  /\balter\s+table\s+[\w"]/i,
  /^\s*(begin\s+transaction|rollback|commit|checkpoint|vacuum)(\s+[\w$]+)?\s*;?\s*$/i,
  /\b(export|import)\s+database\s+['$]/i,
  /^\s*(set|reset)\s+(global\s+|session\s+)?\w+\s*(=|to\b)/i,
  /\b(attach|detach)\s+(database\s+)?(if\s+(not\s+)?exists\s+)?['"\w$]/i,
  /\bcopy\s+[\w"(]+[\s\S]*\b(to|from)\s+['$]/i,
  /\bpragma\s+\w+/i,
  /\bwith\s+\w+\s+as\s*\(\s*select\b/i,
];

/** A whole string that is just a statement keyword (`"commit"`) is SQL; prose never is. */
const BARE_STATEMENTS = /^\s*(begin(\s+transaction)?|commit|rollback|checkpoint|vacuum|analyze)\s*;?\s*$/i;

function looksLikeSql(text: string): boolean {
  if (BARE_STATEMENTS.test(text)) return true;
  // Prose sentences (error messages, help text) start with a capital and read as words;
  // a statement is mostly lowercase keywords here (STYLE.md), so only those are checked.
  const words = text.trim();
  if (words.length < 8) return false;
  return SQL_SHAPES.some((shape) => shape.test(words)) && !isProse(words);
}

/** A sentence: ends like one and has none of the punctuation a statement has. */
function isProse(text: string): boolean {
  const sqlish = /[=(),*]|\$\w|\bas\b|\bwhere\b|\border by\b|\bgroup by\b|\bjoin\b|\bvalues\b/i.test(text);
  return !sqlish && /^[A-Z]/.test(text);
}

function* files(dir: string, pattern = /\.(ts|tsx)$/): Generator<string> {
  for (const entry of readdirSync(dir)) {
    if (entry === "node_modules" || entry === "build" || entry.startsWith(".")) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* files(path, pattern);
    else if (pattern.test(entry) && !entry.endsWith(".d.ts")) yield path;
  }
}

interface Finding {
  file: string;
  line: number;
  text: string;
}

/** String literals and template strings (their literal parts, `${…}` read as `$x`) of one file. */
export function sqlStrings(path: string, source = readFileSync(path, "utf8")): Finding[] {
  const sf = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true, path.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: Finding[] = [];
  const visit = (node: ts.Node) => {
    let text: string | null = null;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
    else if (ts.isTemplateExpression(node)) text = node.head.text + node.templateSpans.map((s) => "$x" + s.literal.text).join("");
    if (text !== null && !ts.isImportDeclaration(node.parent) && !ts.isExportDeclaration(node.parent) && looksLikeSql(text)) {
      found.push({ file: relative(ROOT, path), line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: text.replace(/\s+/g, " ").trim().slice(0, 90) });
    }
    if (!ts.isTemplateExpression(node)) ts.forEachChild(node, visit);
    else for (const span of node.templateSpans) visit(span.expression);
  };
  visit(sf);
  return found;
}

function scan(): Finding[] {
  const found: Finding[] = [];
  for (const top of SCANNED) for (const path of files(join(ROOT, top))) found.push(...sqlStrings(path));
  // Under app/, the JavaScript files too, and any .sql file at all.
  for (const path of files(join(ROOT, "app"), /\.(js|jsx|mjs|cjs)$/)) found.push(...sqlStrings(path));
  for (const path of files(join(ROOT, "app"), /\.sql$/)) found.push({ file: relative(ROOT, path), line: 1, text: "an SQL file" });
  return found;
}

describe("SQL lives in sql/", () => {
  const findings = scan();

  it("recognises statements and leaves prose alone", () => {
    const sql = [
      "select count(*) as n from pairs",
      "insert into schema_meta (schema_version) values ($v)",
      "update users set disabled = true where id = $id",
      "delete from sessions where expires_at < now()",
      "create table if not exists t (a integer)",
      "drop table if exists t",
      "alter table t add column b integer",
      "commit",
      "begin transaction",
      "checkpoint",
      "checkpoint $x",
      "set threads = 1",
      "export database '/tmp/b' (format parquet)",
      "attach 'x.duckdb' as backup",
      "copy pairs to '/tmp/x.parquet' (format parquet)",
      "with a as (select 1) select * from a",
    ];
    const prose = [
      "Select a file from the list.",
      "Delete the pairs from this program?",
      "Could not update the program: the file is locked.",
      "Choose which organisation to drop from the report.",
      "Create a user, then sign in.",
      "The import was committed.",
      "select",
      "Set the password = the one you chose",
      "Import database files from the backup folder.",
      "from",
    ];
    expect(sql.filter((s) => !looksLikeSql(s))).toEqual([]);
    expect(prose.filter((s) => looksLikeSql(s))).toEqual([]);
  });

  it("no SQL string in TypeScript outside sql/ and the generated-SQL module", () => {
    const misplaced = findings.filter((f) => f.file !== GENERATED_SQL_MODULE && !f.file.startsWith("app/"));
    expect(misplaced.map((f) => `${f.file}:${f.line} ${f.text}`)).toEqual([]);
  });

  it("no SQL under app/", () => {
    const inApp = findings.filter((f) => f.file.startsWith("app/"));
    expect(inApp.map((f) => `${f.file}:${f.line} ${f.text}`)).toEqual([]);
  });
});
