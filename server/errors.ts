/**
 * What happens to an error nobody caught (decision 0011): inside a request, it is logged once,
 * the request gets the generic 500 page, and the process serves on; outside any request, it is
 * logged and the process stops cleanly, for its supervisor to start it again.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { EventEmitter } from "node:events";
import type { ErrorRequestHandler, RequestHandler, Response } from "express";
import { DEFAULT_LOCALE, localeFromAcceptLanguage, localeFromCookie, type Locale } from "../app/i18n/locale.ts";
import { translate } from "../app/i18n/translate.ts";

/** The request an asynchronous callback belongs to (AsyncLocalStorage follows timers, promises, streams). */
interface RequestContext {
  method: string;
  /** The path without its query string (it may carry filters on people). */
  path: string;
  res: Response;
  locale: Locale;
  /** Set once the request's failure has been logged and answered: one log line per request. */
  failed: boolean;
}

const requests = new AsyncLocalStorage<RequestContext>();

const write = (line: string) => process.stderr.write(`${line}\n`);

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
}

/** First middleware: every callback run on behalf of this request knows which request it was. */
export function trackRequests(): RequestHandler {
  return (req, res, next) => {
    const locale = localeFromCookie(req.headers.cookie) ?? localeFromAcceptLanguage(req.headers["accept-language"]) ?? DEFAULT_LOCALE;
    requests.run({ method: req.method, path: req.path, res, locale, failed: false }, next);
  };
}

/**
 * The generic error page, the same sentence as the app's error boundary, without the app
 * around it (the failure may be in the app). Never a message, a stack trace or SQL.
 */
export function genericErrorPage(locale: Locale): string {
  const title = translate(locale, "error.generic.title", { status: 500 });
  return `<!DOCTYPE html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} · Binôme</title></head>
<body><main><section class="error" data-status="500"><h1>${title}</h1><p>${translate(locale, "error.generic.text")}</p><p><a href="/">${translate(locale, "error.back")}</a></p></section></main></body></html>
`;
}

/**
 * Logs a request's failure once and answers it with the generic 500 page when nothing has been
 * sent yet; when the answer had started, the connection is closed (a half page is not an answer).
 */
function failRequest(context: RequestContext, error: unknown, kind: string): void {
  if (context.failed) return;
  context.failed = true;
  const { res } = context;
  const after = res.writableEnded ? " (after its answer)" : "";
  write(`[${new Date().toISOString()}] ${context.method} ${context.path} failed${after}: ${kind}: ${describe(error)}`);
  if (res.writableEnded) return;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.status(500).set({ "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
  res.end(genericErrorPage(context.locale));
}

/** Last middleware: an error passed on by express (a throwing middleware, Remix's adapter). */
export function answerErrors(): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const context = requests.getStore() ?? { method: req.method, path: req.path, res, locale: DEFAULT_LOCALE, failed: false };
    // Already answered by a previous failure of this request (e.g. its handler answering late).
    if (context.failed) return;
    failRequest(context, error, "error");
  };
}

/**
 * Process-wide handlers, installed by `server/start.ts` only (tests that build the app in their
 * own process keep vitest's). `stop(code)` ends the process cleanly.
 */
export function installProcessHandlers(stop: (code: number) => void): void {
  process.on("uncaughtException", (error) => {
    const context = requests.getStore();
    if (context) return failRequest(context, error, "uncaught exception");
    write(`[${new Date().toISOString()}] binome: fatal: uncaught exception outside any request; stopping (exit code 1) for the supervisor to restart the server (decision 0011): ${describe(error)}`);
    stop(1);
  });
  process.on("unhandledRejection", (reason) => {
    const context = requests.getStore();
    if (context) return failRequest(context, reason, "unhandled rejection");
    // Nothing waited for this promise and nothing was cut short by it: log it, serve on.
    write(`[${new Date().toISOString()}] binome: unhandled rejection outside any request (still serving): ${describe(reason)}`);
  });
}

/** The test hook's own routes exist only when the test that starts the server asks for them. */
export const TEST_FAULTS_ENV = "BINOME_TEST_FAULTS";

/**
 * `GET /__test/fault/:kind`, mounted only when the server starts with BINOME_TEST_FAULTS=1 in
 * its environment (the tests set it; it says so in the log): fails on purpose, the ways a
 * request can fail. `throw`: a middleware throws;
 * `reject`: an async handler rejects (express 4 does not catch it); `emit`: an 'error' event
 * without listener (the stream failure that used to end the process); `outside`: an exception
 * in a timer detached from any request.
 */
export function testFaults(): RequestHandler | null {
  if (process.env[TEST_FAULTS_ENV] !== "1") return null;
  write(`binome: ${TEST_FAULTS_ENV}=1: the test-only failure routes /__test/fault/* are on. Never set it outside the tests.`);
  return (req, res, next) => {
    const match = /^\/__test\/fault\/(\w+)$/.exec(req.path);
    if (!match || req.method !== "GET") return next();
    const fault = new Error(`test fault: ${match[1]}`);
    switch (match[1]) {
      case "throw":
        throw fault;
      case "reject":
        void (async () => {
          await new Promise((done) => setTimeout(done, 5));
          throw fault;
        })();
        return;
      case "emit": {
        const stream = new EventEmitter(); // as a write stream whose file cannot be opened
        setTimeout(() => stream.emit("error", fault), 5);
        return;
      }
      case "outside":
        requests.exit(() => setTimeout(() => {
          throw fault;
        }, 50));
        res.status(202).type("text/plain").send("scheduled");
        return;
      default:
        next();
    }
  };
}
