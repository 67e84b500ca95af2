import { data } from "@remix-run/node";

/**
 * Any URL no other route matches (`/nope`, `/programs/octave-demo/nope`): a 404 through the root
 * ErrorBoundary. A route of its own so that the root loader runs (the header keeps the session
 * and the language) and the browser hydrates the same tree the server rendered: without it, an
 * unmatched URL under a known route's prefix was rendered without the root loader's data on the
 * server and re-matched on the client (React errors #418/#423). The title is the root's meta.
 */
export async function loader() {
  throw data("Not found", { status: 404 });
}

export default function NotFound() {
  return null;
}
