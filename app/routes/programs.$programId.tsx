import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData, useLocation, useMatches } from "@remix-run/react";
import { requireProgram } from "../../analytics/auth/request.server.ts";
import { FiltersBar, type ProgramPageHandle } from "../components/FiltersBar.tsx";
import { RouteError } from "../components/RouteError.tsx";
import type { MessageKey } from "../i18n/messages.ts";
import { useT } from "../i18n/use-t.ts";
import { dashboardPage } from "../pages/dashboard.server.ts";

/**
 * The layout of a program's pages: header (name, kind, dates), tabs, filters bar. Child routes
 * read the header with `useRouteLoaderData<typeof loader>("routes/programs.$programId")` and
 * run their own `requireProgram` (loaders run in parallel: each checks the scope itself).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const signed = await requireProgram(request, params.programId);
  const { data: header, ctx } = await dashboardPage(signed, request, params.programId!, "header");
  return { ...header, audience: ctx.audience, k: ctx.k, filters: ctx.filters, notices: ctx.notices };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.program.name} · Binôme` : "Binôme" }];

/** The program's tabs; `audiences`: only these readers get the tab (the attention list names pairs: hr and admin). */
export const PROGRAM_TABS: { to: string; key: MessageKey; audiences?: readonly string[] }[] = [
  { to: "", key: "tab.overview" },
  { to: "quality", key: "tab.quality" },
  { to: "attention", key: "tab.attention", audiences: ["admin", "hr"] },
  { to: "topics", key: "tab.topics" },
  { to: "generations", key: "tab.generations" },
  { to: "costs", key: "tab.costs" },
  { to: "impact", key: "tab.impact" },
  { to: "editions", key: "tab.editions" },
  { to: "simulations", key: "tab.simulations" },
];

export default function ProgramLayout() {
  const { program, options, filters, notices, audience, k } = useLoaderData<typeof loader>();
  const showFilters = !useMatches().some((m) => (m.handle as ProgramPageHandle | undefined)?.filters === false);
  const { t, f } = useT();
  const { search } = useLocation();
  const base = `/programs/${encodeURIComponent(program.program_id)}`;
  return (
    <div className="program" data-program-id={program.program_id}>
      <header className="program-header">
        <h1>{program.name}</h1>
        <p className="program-meta">
          <span className="badge">{t(`program.kind.${program.kind}` as MessageKey)}</span>{" "}
          {t("program.dates", { start: f.date(program.start_date), end: f.date(program.end_date) })} ·{" "}
          {t("program.asOf", { date: f.date(program.as_of) })} ·{" "}
          <small>{audience === "admin" ? t("program.audience.admin") : t("program.audience.suppressed", { k: k ?? 5 })}</small>
        </p>
        <nav className="tabs" aria-label={program.name}>
          {PROGRAM_TABS.filter((tab) => !tab.audiences || tab.audiences.includes(audience)).map((tab) => (
            <NavLink key={tab.key} to={`${base}${tab.to ? `/${tab.to}` : ""}${search}`} end prefetch="intent">
              {t(tab.key)}
            </NavLink>
          ))}
          <NavLink to={`${base}/print`} className="tab-print">
            {t("tab.print")}
          </NavLink>
        </nav>
      </header>
      {showFilters ? <FiltersBar filters={filters} notices={notices} cohorts={options.cohorts} orgs={options.orgs} k={k} /> : null}
      <Outlet />
    </div>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
