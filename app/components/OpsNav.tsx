import { Link } from "@remix-run/react";
import { adminImportsMessages } from "../i18n/pages/admin-imports.ts";
import { usePageT } from "../i18n/use-t.ts";

/** Links between the admin operation pages. */
export function OpsNav() {
  const t = usePageT(adminImportsMessages);
  return (
    <nav className="ops-nav" aria-label={t("nav.label")}>
      <Link to="/admin/imports">{t("nav.import")}</Link> · <Link to="/admin/programs">{t("nav.programs")}</Link> ·{" "}
      <Link to="/admin/erasure">{t("nav.erasure")}</Link> · <Link to="/admin/backups">{t("nav.backups")}</Link> ·{" "}
      <Link to="/admin/users">{t("nav.users")}</Link>
    </nav>
  );
}
