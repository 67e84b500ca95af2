import type { LinksFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
} from "@remix-run/react";
import type { ReactNode } from "react";
import styles from "./styles/app.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export function Layout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
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
          <span className="tagline">e-mentoring program analytics</span>
        </header>
        <main>{children}</main>
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

/** Error pages never show a stack trace or SQL: only the status and a sentence. */
export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message =
    status === 404
      ? "This page does not exist."
      : isRouteErrorResponse(error) && typeof error.data === "string" && status < 500
        ? error.data
        : "Something went wrong on our side. The error has been logged; please try again.";
  return (
    <section className="error">
      <h1>{status === 404 ? "Not found" : `Error ${status}`}</h1>
      <p>{message}</p>
      <p>
        <Link to="/">Back to the programs</Link>
      </p>
    </section>
  );
}
