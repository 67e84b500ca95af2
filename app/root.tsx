import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { getSignedIn } from "../analytics/auth/request.server.ts";
import { ROLE_LABEL } from "../analytics/auth/roles.ts";
import styles from "./styles/app.css?url";
import authStyles from "./styles/auth.css?url";
import { useNonce } from "./utils/nonce-provider.ts";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "stylesheet", href: authStyles },
];

/** Who is signed in, for the header corner (pages check access in their own loaders). */
export async function loader({ request }: LoaderFunctionArgs) {
  const signed = await getSignedIn(request);
  if (!signed) return { user: null };
  const { username, displayName, role, orgId } = signed.user;
  return { user: { username, displayName, role, orgId } };
}

function UserCorner() {
  const data = useRouteLoaderData<typeof loader>("root");
  const user = data?.user;
  if (!user) return null;
  return (
    <div className="user-corner">
      <span>
        Signed in as <Link to="/account">{user.displayName ?? user.username}</Link>{" "}
        <small>
          ({ROLE_LABEL[user.role]}
          {user.orgId ? `, ${user.orgId}` : ""})
        </small>
      </span>
      {user.role === "admin" ? <Link to="/admin/users">Users</Link> : null}
      <Form method="post" action="/logout">
        <button type="submit" className="link-button">
          Sign out
        </button>
      </Form>
    </div>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
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
          <UserCorner />
        </header>
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
