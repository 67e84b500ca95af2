import { Form, Link, useLocation } from "@remix-run/react";
import { GENERATION_KEYS } from "../../analytics/domain/generations.ts";
import { useT } from "../i18n/use-t.ts";
import type { MessageKey } from "../i18n/messages.ts";
import { hasFilters, type FilterNotice, type Filters } from "../utils/filters.ts";

export interface FiltersBarProps {
  filters: Filters;
  notices: FilterNotice[];
  cohorts: string[];
  orgs: { org_id: string; name: string }[];
  /** The reader's suppression threshold (null: admin, nothing hidden). */
  k: number | null;
}

const REASON = {
  en: {
    format: "not a valid value",
    unknown: "unknown value",
    range: "ends before it starts",
    scope: "outside your organization",
    coarsened: "",
    privacy: "combined with the other filters it would single out a group of fewer than {k} people",
  },
  fr: {
    format: "valeur invalide",
    unknown: "valeur inconnue",
    range: "fin avant le début",
    scope: "hors de votre organisation",
    coarsened: "",
    privacy: "combiné aux autres filtres, il isolerait un groupe de moins de {k} personnes",
  },
} as const;

/**
 * The filters as a GET form: applying them changes the URL (shareable, bookmarkable) and the
 * loaders re-run. Dropped values are listed as notices.
 */
export function FiltersBar({ filters, notices, cohorts, orgs, k }: FiltersBarProps) {
  const { t, f, locale } = useT();
  const location = useLocation();
  return (
    // The action is the current page: a GET form in a layout would otherwise submit to the layout's URL.
    <Form method="get" action={location.pathname} className="filters" aria-label={t("filters.title")} data-testid="filters">
      <label>
        {t("filters.cohort")}
        <select name="cohort" defaultValue={filters.cohort ?? ""}>
          <option value="">{t("filters.anyFeminine")}</option>
          {cohorts.map((c) => (
            <option key={c} value={c}>
              {f.month(c)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("filters.org")}
        <select name="org" defaultValue={filters.org ?? ""}>
          <option value="">{t("filters.anyFeminine")}</option>
          {orgs.map((o) => (
            <option key={o.org_id} value={o.org_id}>
              {o.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("filters.generation")}
        <select name="generation" defaultValue={filters.generation ?? ""}>
          <option value="">{t("filters.anyFeminine")}</option>
          {GENERATION_KEYS.map((g) => (
            <option key={g} value={g}>
              {t(`generation.${g}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("filters.role")}
        <select name="role" defaultValue={filters.role ?? ""}>
          <option value="">{t("filters.any")}</option>
          <option value="mentor">{t("role.mentor")}</option>
          <option value="mentee">{t("role.mentee")}</option>
        </select>
      </label>
      <label>
        {t("filters.from")}
        <input type="date" name="from" defaultValue={filters.from ?? ""} />
      </label>
      <label>
        {t("filters.to")}
        <input type="date" name="to" defaultValue={filters.to ?? ""} />
      </label>
      <button type="submit">{t("filters.apply")}</button>
      {hasFilters(filters) ? (
        <Link to={location.pathname} className="filters-clear">
          {t("filters.clear")}
        </Link>
      ) : null}
      {notices.length > 0 ? (
        <ul className="notices" role="status">
          {notices.map((n, i) => (
            <li key={i}>
              {n.reason === "coarsened"
                ? t("filters.coarsened", { name: `${n.name}=${n.value}`, window: n.detail ?? "", k: String(k ?? "") })
                : t("filters.ignored", { name: `${n.name}=${n.value}`, reason: REASON[locale][n.reason].replace("{k}", String(k ?? "")) })}
            </li>
          ))}
        </ul>
      ) : null}
    </Form>
  );
}

/** A program page that the dashboards' filters do not apply to exports `handle = { filters: false }` (the layout then draws no filters bar). */
export interface ProgramPageHandle {
  filters?: boolean;
}
