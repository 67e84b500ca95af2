import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { useT } from "../i18n/use-t.ts";

/**
 * The error panel of the root and of route ErrorBoundaries: a status and a sentence, never a
 * stack trace or SQL (only a < 500 response's own string message is shown).
 */
export function RouteError() {
  const error = useRouteError();
  const { t } = useT();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message =
    status === 404
      ? t("error.notFound.text")
      : isRouteErrorResponse(error) && typeof error.data === "string" && status < 500
        ? error.data
        : t("error.generic.text");
  return (
    <section className="error" data-status={status}>
      <h1>{status === 404 ? t("error.notFound.title") : t("error.generic.title", { status })}</h1>
      <p>{message}</p>
      <p>
        <Link to="/">{t("error.back")}</Link>
      </p>
    </section>
  );
}
