import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useLocation,
  useNavigation,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { getSignedIn } from "../analytics/auth/request.server.ts";
import styles from "./styles/app.css?url";
import authStyles from "./styles/auth.css?url";
import { useNonce } from "./utils/nonce-provider.ts";
import { isLocale, localeFromRequest } from "./i18n/locale.ts";
import type { MessageKey } from "./i18n/messages.ts";
import { translate } from "./i18n/translate.ts";
import { useT } from "./i18n/use-t.ts";
import { RouteError } from "./components/RouteError.tsx";
import { useTableLabels } from "./utils/table-labels.ts";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "stylesheet", href: authStyles },
];

/** Every page has a title: the pages' own `meta` replace this one; an error page's names the error. */
export const meta: MetaFunction<typeof loader> = ({ data, error }) => {
  if (!error) return [{ title: "Binôme" }];
  const locale = isLocale(data?.locale) ? data.locale : "en";
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const title = status === 404 ? translate(locale, "error.notFound.title") : translate(locale, "error.generic.title", { status });
  return [{ title: `${title} · Binôme` }];
};

/**
 * Who is signed in, for the header corner (pages check access in their own loaders), and the
 * interface locale (`lang` cookie, else Accept-Language) that `useT()` reads.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const locale = localeFromRequest(request);
  const signed = await getSignedIn(request);
  if (!signed) return { user: null, locale };
  const { username, displayName, role, orgId, orgName } = signed.user;
  return { user: { username, displayName, role, orgId, orgName }, locale };
}

/** The language switch: a POST form to /lang that comes back to the same URL. */
function LanguageSwitch() {
  const { t, locale } = useT();
  const location = useLocation();
  return (
    <Form method="post" action="/lang" className="lang-switch" reloadDocument>
      <input type="hidden" name="lang" value={locale === "fr" ? "en" : "fr"} />
      <input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
      {/* No type attribute (a form button submits by default): pages' `button[type=submit]` stays their own. */}
      <button className="link-button" title={t("lang.switch.title")} data-testid="lang-switch">
        {t("lang.switch")}
      </button>
    </Form>
  );
}

/** A thin bar while a navigation loads (the page stays readable meanwhile). */
function NavigationProgress() {
  const navigation = useNavigation();
  const { t } = useT();
  if (navigation.state === "idle") return null;
  return (
    <div className="nav-progress" role="status" aria-live="polite">
      {t("state.loading")}
    </div>
  );
}

function UserCorner() {
  const data = useRouteLoaderData<typeof loader>("root");
  const { t } = useT();
  const user = data?.user;
  if (!user) return null;
  return (
    <nav className="user-corner" aria-label={t("user.nav")}>
      <span>
        {t("user.signedInAs")} <Link to="/account">{user.displayName ?? user.username}</Link>{" "}
        {/* The organization by its name (the identifier only before an import names it). */}
        <small data-user-role={user.role}>
          · {t(`userRole.${user.role}` as MessageKey)}
          {user.orgId ? ` · ${user.orgName ?? user.orgId}` : ""}
        </small>
      </span>
      {user.role === "admin" ? <Link to="/admin/users">{t("user.users")}</Link> : null}
      {user.role === "admin" ? <Link to="/admin/imports">{t("nav.data")}</Link> : null}
      <Form method="post" action="/logout">
        <button type="submit" className="link-button">
          {t("user.signOut")}
        </button>
      </Form>
    </nav>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const { t, locale } = useT();
  useTableLabels();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <header className="site-header">
          <Link to="/" className="brand">
            Binôme
          </Link>
          <span className="tagline">{t("app.tagline")}</span>
          <UserCorner />
          <LanguageSwitch />
        </header>
        <NavigationProgress />
        <main>{children}</main>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

/** Error pages never show a stack trace or SQL: only the status and a sentence. */
export function ErrorBoundary() {
  return <RouteError />;
}
