import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { isPageError } from "../../analytics/domain/page-errors.ts";
import { useT } from "../i18n/use-t.ts";

/**
 * The error panel of the root and of route ErrorBoundaries: a status and a sentence, never a
 * stack trace or SQL (only a < 500 response's own message is shown: a page error's code in the
 * reader's language, analytics/domain/page-errors.ts, or a sentence the route already translated).
 */
export function RouteError() {
  const error = useRouteError();
  const { t } = useT();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message =
    status === 404
      ? t("error.notFound.text")
      : isRouteErrorResponse(error) && status < 500 && isPageError(error.data)
        ? t(`pageError.${error.data.pageError}`, error.data.vars)
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
