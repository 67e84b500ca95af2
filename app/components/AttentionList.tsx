import { Form, Link, useLocation } from "@remix-run/react";
import {
  ATTENTION_CATEGORIES,
  ATTENTION_PAGE_SIZE,
  ATTENTION_REASONS,
  ATTENTION_SORTS,
  DEFAULT_DIR,
  attentionParams,
  reasonsOf,
  type AttentionCategory,
  type AttentionPair,
  type AttentionQuery,
  type AttentionReason,
  type AttentionSelection,
  type AttentionSort,
} from "../../analytics/dashboards/attention.ts";
import { FILTER_NAMES } from "../utils/filters.ts";
import { attentionMessages } from "../i18n/pages/attention.ts";
import { usePageT, useT } from "../i18n/use-t.ts";

type PT = ReturnType<typeof usePageT<typeof attentionMessages.en>>;

const CATEGORY_KEY = { needs_check_in: "categoryNeeds", too_early: "categoryTooEarly", on_track: "categoryOnTrack" } as const;
const DEFINE_KEY = { needs_check_in: "defineNeeds", too_early: "defineTooEarly", on_track: "defineOnTrack" } as const;
const EMPTY_KEY = { needs_check_in: "emptyNeeds", too_early: "emptyTooEarly", on_track: "emptyOnTrack" } as const;
const REASON_KEY = { flagged_at_midpoint: "reasonFlagged", no_midpoint_evaluation: "reasonNoMidpoint", no_recent_meeting: "reasonNoMeeting" } as const;
const SORT_KEY = { risk: "sortRisk", matched: "sortMatched", last_meeting: "sortLastMeeting", pair: "sortPair" } as const;

export interface AttentionListProps {
  programId: string;
  asOf: string;
  /** The program's end date when it is over, else null. */
  endedOn: string | null;
  ordering: "risk" | "matched";
  /** The early-warning model is still being fitted: the list is in matched order for now. */
  modelPending: boolean;
  query: AttentionQuery;
  selection: AttentionSelection;
  /** hr: only its organization's pairs, the other member shown as "other organization". */
  ownOrganizationOnly: boolean;
}

/**
 * The attention list's page: the categories with their counts (links that select one), the
 * list's own filter form (category, reason, sort, order; the filters bar's filters kept as hidden
 * fields), one table per category on the current page with sortable column headers, an empty
 * state per category, pages, and the CSV download of the whole selection.
 */
export function AttentionList({ endedOn, ordering, modelPending, query, selection, ownOrganizationOnly }: AttentionListProps) {
  const { f } = useT();
  const pt = usePageT(attentionMessages);
  const { pathname, search } = useLocation();
  const current = new URLSearchParams(search);
  const filterEntries = FILTER_NAMES.flatMap((name) => {
    const v = current.get(name);
    return v ? [[name, v] as [string, string]] : [];
  });
  const href = (over: Partial<AttentionQuery>) => {
    const params = new URLSearchParams([...filterEntries, ...attentionParams({ ...query, page: 1, ...over })]);
    const qs = params.toString();
    return qs ? `${pathname}?${qs}` : pathname;
  };
  const csvParams = new URLSearchParams([...filterEntries, ...attentionParams({ ...query, page: 1 })]).toString();
  const csvHref = `${pathname.replace(/\/$/, "")}.csv${csvParams ? `?${csvParams}` : ""}`;
  const { counts, total, page, pages, rows } = selection;
  const from = total === 0 ? 0 : (page - 1) * ATTENTION_PAGE_SIZE + 1;
  const shownCategories = query.category ? [query.category] : ATTENTION_CATEGORIES;
  return (
    <section className="attention" data-page="attention">
      <h2>{pt("title")}</h2>
      <p className="lead">{pt("lead")}</p>
      {ownOrganizationOnly ? <p className="lead">{pt("leadHr")}</p> : null}
      {endedOn ? (
        <p className="note" data-ended={endedOn}>
          {pt(selection.total === 0 && Object.values(selection.counts).every((n) => n === 0) ? "endedEmpty" : "ended", { date: f.date(endedOn) })}
        </p>
      ) : null}
      <div className="tiles" data-testid="attention-counts">
        {ATTENTION_CATEGORIES.map((c) => (
          <section key={c} className="tile" data-category={c} data-value={String(counts[c])}>
            <h3>{pt(CATEGORY_KEY[c])}</h3>
            <p className="value">{f.number(counts[c], 0)}</p>
            <p className="detail">
              <Link to={href({ category: query.category === c ? null : c })} aria-current={query.category === c ? "true" : undefined}>
                {pt(DEFINE_KEY[c])}
              </Link>
            </p>
          </section>
        ))}
      </div>
      <Form method="get" action={pathname} className="filters" aria-label={pt("title")} data-testid="attention-filters">
        {filterEntries.map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <label>
          {pt("filterCategory")}
          <select name="category" defaultValue={query.category ?? ""}>
            <option value="">{pt("any")}</option>
            {ATTENTION_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {pt(CATEGORY_KEY[c])}
              </option>
            ))}
          </select>
        </label>
        <label>
          {pt("filterReason")}
          <select name="reason" defaultValue={query.reason ?? ""}>
            <option value="">{pt("anyReason")}</option>
            {ATTENTION_REASONS.map((r) => (
              <option key={r} value={r}>
                {pt(REASON_KEY[r])}
              </option>
            ))}
          </select>
        </label>
        <label>
          {pt("filterSort")}
          <select name="sort" defaultValue={query.sort}>
            {ATTENTION_SORTS.map((s) => (
              <option key={s} value={s}>
                {pt(SORT_KEY[s])}
              </option>
            ))}
          </select>
        </label>
        <label>
          {pt("filterDir")}
          <select name="dir" defaultValue={query.dir}>
            <option value="asc">{pt("dirAsc")}</option>
            <option value="desc">{pt("dirDesc")}</option>
          </select>
        </label>
        <button type="submit">{pt("apply")}</button>
        <Link to={href({ category: null, reason: null, sort: "risk", dir: DEFAULT_DIR.risk })}>{pt("reset")}</Link>
      </Form>
      <p className="note" data-ordering={modelPending ? "pending" : ordering}>
        {modelPending ? pt("orderPending") : ordering === "risk" ? pt("orderRisk") : pt("orderMatched")}
      </p>
      <p className="no-print">
        <a href={csvHref} data-download="attention-csv" download>
          {pt("download")}
        </a>{" "}
        <small>{pt("downloadNote", { total: f.number(total, 0) })}</small>
      </p>
      <p data-testid="attention-shown" data-total={String(total)}>
        {total === 0 ? pt("none") : pt("shown", { from: f.number(from, 0), to: f.number(from + rows.length - 1, 0), total: f.number(total, 0) })}
      </p>
      {shownCategories.map((c) => {
        const here = rows.filter((p) => p.category === c);
        return (
          <section key={c} className="section" data-section={c}>
            <h3>
              {pt(CATEGORY_KEY[c])} ({f.number(counts[c], 0)})
            </h3>
            {here.length > 0 ? (
              <PairsTable category={c} rows={here} query={query} href={href} pt={pt} />
            ) : counts[c] === 0 ? (
              <p className="empty" data-empty={c}>
                {pt(EMPTY_KEY[c])}
              </p>
            ) : selection.selected[c] === 0 ? (
              <p className="empty" data-empty={c}>
                {pt("emptySelection")}
              </p>
            ) : (
              <p className="note">{pt("otherPages", { n: f.number(selection.selected[c], 0) })}</p>
            )}
          </section>
        );
      })}
      {pages > 1 ? (
        <nav aria-label={pt("pagination")} className="no-print" data-testid="attention-pages">
          {page > 1 ? <Link to={href({ page: page - 1 })}>{pt("previous")}</Link> : null} <span>{pt("pageOf", { page: String(page), pages: String(pages) })}</span>{" "}
          {page < pages ? (
            <Link to={href({ page: page + 1 })} rel="next">
              {pt("next")}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </section>
  );
}

function PairsTable({
  category,
  rows,
  query,
  href,
  pt,
}: {
  category: AttentionCategory;
  rows: AttentionPair[];
  query: AttentionQuery;
  href: (over: Partial<AttentionQuery>) => string;
  pt: PT;
}) {
  const { f } = useT();
  const person = (id: string | null, org: string | null) => (id === null ? pt("otherOrg") : `${id} (${org})`);
  const header = (label: string, sort: AttentionSort | null, numeric = false) => {
    const active = sort !== null && query.sort === sort;
    const dir = active ? (query.dir === "asc" ? "desc" : "asc") : sort ? DEFAULT_DIR[sort] : "asc";
    return (
      <th scope="col" className={numeric ? "num" : undefined} aria-sort={active ? (query.dir === "asc" ? "ascending" : "descending") : undefined}>
        {sort ? (
          <Link to={href({ sort, dir })} data-sort={sort}>
            {label}
            {active ? (query.dir === "asc" ? " ▲" : " ▼") : ""}
          </Link>
        ) : (
          label
        )}
      </th>
    );
  };
  return (
    <table className="data compact" data-testid={`attention-${category}`}>
      <thead>
        <tr>
          {header(pt("colPair"), "pair")}
          {header(pt("colMentor"), null)}
          {header(pt("colMentee"), null)}
          {header(pt("colMatched"), "matched")}
          {header(pt("colLastMeeting"), "last_meeting")}
          {header(pt("colWhy"), null)}
          {header(pt("colRisk"), "risk", true)}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.pair_id} data-pair-id={r.pair_id} data-risk={r.risk === null ? "" : String(r.risk)} data-matched={r.matched_at}>
            <td>{r.pair_id}</td>
            <td>{person(r.mentor_id, r.mentor_org_id)}</td>
            <td>{person(r.mentee_id, r.mentee_org_id)}</td>
            <td>
              {f.date(r.matched_at)} <small>{pt("days", { n: f.number(r.days_since_match, 0) })}</small>
            </td>
            <td>{r.last_meeting_date ? f.date(r.last_meeting_date) : pt("noMeeting")}</td>
            <td>{reasonsOf(r).map((reason: AttentionReason) => pt(REASON_KEY[reason])).join(" · ")}</td>
            <td className="num">{r.risk === null ? pt("notScored") : pt("riskMonth", { risk: f.percent(r.risk, 0), month: String(r.risk_month) })}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
