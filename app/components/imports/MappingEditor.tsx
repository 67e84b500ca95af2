import { useMemo } from "react";
import { adminImportsMessages } from "../../i18n/pages/admin-imports.ts";
import { usePageT } from "../../i18n/use-t.ts";

/** A source as the action sends it (analytics/ops/mapped-upload.server.ts SourceView). */
export interface SourceViewData {
  name: string;
  display: string;
  headers: string[];
  rows: string[][];
}
export type TargetColumnsData = Record<string, { name: string; required: boolean }[]>;

type RuleObject = { from?: string; const?: string; pseudonym?: string[]; values?: Record<string, string>; [k: string]: unknown };
type Rule = string | RuleObject;
type Part = { source: string; columns: Record<string, Rule>; [k: string]: unknown };
type MappingJson = { tables: Record<string, Part | Part[]>; [k: string]: unknown };

const NONE = "";
const CONST = "=const";
const PSEUDONYM = "=pseudonym";

const key = (s: string) => s.normalize("NFC").trim().replace(/\s+/g, " ").toLowerCase();

/** The source a part names (a sheet, or a file with or without its extension), as the server finds it. */
function sourceOf(sources: SourceViewData[], name: string): SourceViewData | undefined {
  const k = key(name);
  return sources.find((s) => key(s.name) === k || key(s.display) === k);
}

function parse(text: string): MappingJson | null {
  try {
    const m = JSON.parse(text) as MappingJson;
    return m && typeof m === "object" && m.tables && typeof m.tables === "object" ? m : null;
  } catch {
    return null;
  }
}

/** `Mentor=mentor; Mentoré(e)=mentee` ↔ `{ Mentor: "mentor", "Mentoré(e)": "mentee" }`. */
export function valuesText(values: Record<string, string> | undefined): string {
  return values ? Object.entries(values).map(([a, b]) => `${a}=${b}`).join("; ") : "";
}
export function parseValuesText(text: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const item of text.split(";")) {
    const at = item.indexOf("=");
    if (at <= 0) continue;
    out[item.slice(0, at).trim()] = item.slice(at + 1).trim();
  }
  return Object.keys(out).length ? out : undefined;
}

/** The derivations of a rule other than its source and value map, as a short text (`date DD/MM/YYYY, year`). */
function extras(rule: RuleObject): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(rule)) {
    if (k === "from" || k === "const" || k === "values" || k === "pseudonym") continue;
    parts.push(v === true ? k : `${k} ${typeof v === "object" ? JSON.stringify(v) : String(v)}`);
  }
  return parts.join(", ");
}

/**
 * The mapping as an editable table (issue #17): for each table of the format and each part, every
 * target column with its source header, a constant, or nothing, and its value map. Edits rewrite
 * the mapping's JSON (the `mapping` field the form sends; the server validates it); the JSON can
 * be edited directly too, for what the table does not show.
 */
export function MappingEditor({ text, onChange, sources, targets }: { text: string; onChange: (text: string) => void; sources: SourceViewData[]; targets: TargetColumnsData }) {
  const t = usePageT(adminImportsMessages);
  const mapping = useMemo(() => parse(text), [text]);

  const update = (fn: (m: MappingJson) => void) => {
    if (!mapping) return;
    const copy = JSON.parse(JSON.stringify(mapping)) as MappingJson;
    fn(copy);
    onChange(JSON.stringify(copy, null, 2));
  };
  const partAt = (m: MappingJson, table: string, i: number): Part => {
    const given = m.tables[table];
    return Array.isArray(given) ? given[i] : (given as Part);
  };

  return (
    <div className="mapping-editor" data-testid="mapping-editor">
      {mapping === null ? (
        <p className="form-error" role="alert">
          {t("mapping.notJson")}
        </p>
      ) : (
        Object.entries(mapping.tables).flatMap(([table, given]) =>
          (Array.isArray(given) ? given : [given]).map((part, i) => {
            const source = sourceOf(sources, part.source);
            const headers = source?.headers ?? [];
            return (
              <div className="table-scroll" key={`${table}-${i}`}>
                <table className="data compact mapping-table" data-table={table} data-part={i}>
                  <caption>
                    <strong>{table}</strong> ←{" "}
                    <select
                      aria-label={t("mapping.source", { table })}
                      value={source?.name ?? part.source}
                      onChange={(e) => update((m) => void (partAt(m, table, i).source = e.target.value))}
                    >
                      {source ? null : <option value={part.source}>{part.source}</option>}
                      {sources.map((s) => (
                        <option key={s.display} value={s.name}>
                          {s.display}
                        </option>
                      ))}
                    </select>
                    {Array.isArray(part.repeat) ? <small> {t("mapping.repeat", { n: (part.repeat as unknown[]).join(", ") })}</small> : null}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">{t("mapping.col.target")}</th>
                      <th scope="col">{t("mapping.col.from")}</th>
                      <th scope="col">{t("mapping.col.detail")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {(targets[table] ?? []).map((column) => {
                      const raw = part.columns[column.name];
                      const rule: RuleObject | undefined = raw === undefined ? undefined : typeof raw === "string" ? { from: raw } : raw;
                      const choice = !rule ? NONE : rule.const !== undefined ? CONST : rule.pseudonym ? PSEUDONYM : rule.from ?? NONE;
                      const setRule = (next: Rule | undefined) =>
                        update((m) => {
                          const p = partAt(m, table, i);
                          if (next === undefined) delete p.columns[column.name];
                          else p.columns[column.name] = next;
                        });
                      return (
                        <tr key={column.name} data-target={column.name}>
                          <th scope="row">
                            <code>{column.name}</code>
                            {column.required ? <span title={t("mapping.required")}> *</span> : null}
                          </th>
                          <td>
                            <select
                              aria-label={t("mapping.fromLabel", { table, column: column.name })}
                              value={choice}
                              onChange={(e) => {
                                const v = e.target.value;
                                if (v === NONE) setRule(undefined);
                                else if (v === CONST) setRule({ const: "" });
                                else if (v === PSEUDONYM) return;
                                else if (rule && rule.from !== undefined && typeof raw !== "string") setRule({ ...rule, from: v });
                                else setRule(v);
                              }}
                            >
                              <option value={NONE}>{t("mapping.none")}</option>
                              <option value={CONST}>{t("mapping.const")}</option>
                              {rule?.pseudonym ? <option value={PSEUDONYM}>{t("mapping.pseudonym", { names: rule.pseudonym.join(" + ") })}</option> : null}
                              {rule?.from !== undefined && !headers.includes(rule.from) ? <option value={rule.from}>{rule.from}</option> : null}
                              {headers.map((h, k) => (
                                <option key={`${h}-${k}`} value={h}>
                                  {h}
                                </option>
                              ))}
                            </select>
                          </td>
                          <td>
                            {rule?.const !== undefined ? (
                              <input aria-label={t("mapping.constLabel", { table, column: column.name })} value={rule.const} onChange={(e) => setRule({ ...rule, const: e.target.value })} />
                            ) : rule?.from !== undefined ? (
                              <input
                                key={valuesText(rule.values)}
                                aria-label={t("mapping.valuesLabel", { table, column: column.name })}
                                placeholder={t("mapping.valuesPlaceholder")}
                                defaultValue={valuesText(rule.values)}
                                onBlur={(e) => {
                                  const values = parseValuesText(e.target.value);
                                  if (valuesText(values) === valuesText(rule.values)) return;
                                  const { values: _old, ...rest } = rule;
                                  const next: RuleObject = values ? { ...rest, values } : rest;
                                  setRule(Object.keys(next).length === 1 ? (next.from as string) : next);
                                }}
                              />
                            ) : null}
                            {rule && extras(rule) ? <small className="hint"> {extras(rule)}</small> : null}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            );
          }),
        )
      )}
      <details>
        <summary>{t("mapping.json")}</summary>
        <textarea name="mapping" className="mapping-json" rows={16} spellCheck={false} value={text} onChange={(e) => onChange(e.target.value)} aria-label={t("mapping.json")} />
      </details>
    </div>
  );
}

/** The first rows of each source, as uploaded. */
export function SourcesPreview({ sources }: { sources: SourceViewData[] }) {
  const t = usePageT(adminImportsMessages);
  return (
    <details className="sources-preview">
      <summary>{t("mapping.sources", { count: sources.length })}</summary>
      {sources.map((s) => (
        <div className="table-scroll" key={s.display}>
          <table className="data compact" data-source={s.name}>
            <caption>{s.display}</caption>
            <thead>
              <tr>
                {s.headers.map((h, i) => (
                  <th scope="col" key={i}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {s.rows.map((r, i) => (
                <tr key={i}>
                  {r.map((c, k) => (
                    <td key={k}>{c}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </details>
  );
}
