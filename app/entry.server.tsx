import type { AppLoadContext, EntryContext, HandleDataRequestFunction, HandleErrorFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceProvider } from "./utils/nonce-provider.ts";
import { stripReactViewPadding } from "./utils/react-view-padding.server.ts";

/** How long deferred data may stream (single fetch); rendering is aborted a second later. */
export const streamTimeout = 5_000;

/**
 * Renders every document with the request's CSP nonce (set by server/security.ts and passed
 * through the load context) on Remix's inline scripts. Pages may hold personal data: no cache.
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce ?? "";
  const waitForAll = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;
  if (!responseHeaders.has("Cache-Control")) responseHeaders.set("Cache-Control", "private, no-store");

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const ready = () => {
      shellRendered = true;
      // Not a bare PassThrough: React 18 pads some 2,048-byte views with NUL bytes (react#31134).
      const body = stripReactViewPadding();
      responseHeaders.set("Content-Type", "text/html; charset=utf-8");
      resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        // Bots get the whole page at once; browsers get the shell as soon as it is ready.
        onAllReady: waitForAll ? ready : undefined,
        onShellReady: waitForAll ? undefined : ready,
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors before the shell reject and are logged by Remix through handleError.
          if (shellRendered) logServerError(error, request);
        },
      },
    );
    setTimeout(abort, streamTimeout + 1_000);
  });
}

/** Data requests (single fetch) may carry personal data too: never cached. */
export const handleDataRequest: HandleDataRequestFunction = (response) => {
  if (!response.headers.has("Cache-Control")) response.headers.set("Cache-Control", "private, no-store");
  return response;
};

/**
 * Every error of a loader, action or render is logged here, on the server only. The browser
 * sees the root ErrorBoundary's sentence (production builds strip messages and stacks).
 */
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return; // the client went away: not an error of ours
  if (isRouteErrorResponse(error) && error.status < 500) return; // 404, 403…: expected answers
  logServerError(error, request);
};

function logServerError(error: unknown, request: Request) {
  let path = "?";
  try {
    path = new URL(request.url).pathname; // no query string: it may carry filters on people
  } catch {
    // keep "?"
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  console.error(`[${new Date().toISOString()}] ${request.method} ${path} failed: ${detail}`);
}
