import type { RequestHandler } from "express";
import { randomBytes } from "node:crypto";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The per-request nonce of the Content-Security-Policy, for Remix's inline scripts. */
    cspNonce: string;
    /** The client's address as express sees it (login throttling per IP). */
    clientIp: string | null;
  }
}

export interface SecurityOptions {
  /** The public origin (`BINOME_ORIGIN`), e.g. https://binome.example.org. */
  origin: string;
  isHttps: boolean;
  /** Vite's dev server: its hot-reload client needs a websocket. */
  dev?: boolean;
}

/** The Content-Security-Policy for one response. Inline styles stay allowed: Plot writes `<style>`. */
export function contentSecurityPolicy(nonce: string, options: Pick<SecurityOptions, "dev">): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${options.dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join("; ");
}

/**
 * Sets the security headers on every response — pages, data, assets, 404 and error pages —
 * before anything else runs, and a fresh CSP nonce in `res.locals.cspNonce`.
 */
export function securityHeaders(options: SecurityOptions): RequestHandler {
  return (_req, res, next) => {
    const nonce = randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce, options));
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "same-origin");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    if (options.isHttps) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    next();
  };
}

/**
 * A request whose Host (or trusted X-Forwarded-Host) cannot make a URL gets a plain 400 before
 * Remix sees it: @remix-run/express builds the request's URL from them and would throw, a 500
 * and a stack trace in the log for any client that sends `Host: [x`. The check builds the URL
 * the way @remix-run/express 2.17 does (express's `req.hostname`, the port after the first ':').
 */
export function rejectUnusableHost(): RequestHandler {
  const portOf = (value: string | undefined) => {
    const port = Number.parseInt(value?.split(":")[1] ?? "", 10);
    return Number.isSafeInteger(port) ? port : null;
  };
  return (req, res, next) => {
    const port = portOf(req.get("X-Forwarded-Host")) ?? portOf(req.get("Host"));
    try {
      new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`);
      return next();
    } catch {
      const host = req.get("X-Forwarded-Host") ?? req.get("Host") ?? "";
      res.status(400).type("text/plain").set("Cache-Control", "no-store");
      res.send(`Bad request: "${host.slice(0, 200)}" is not a usable host name (Host header): send a host name and an optional port from 1 to 65535.`);
    }
  };
}

const SAFE_METHODS = new Set(["GET", "HEAD"]);

/**
 * CSRF defence: a request that may change something (any method but GET and HEAD) must carry
 * an Origin header equal to one of the app's origins (`allowedOrigins`, default: the public
 * origin alone); otherwise 403 before any handler runs. Browsers send Origin on every
 * cross-site and same-site POST, fetch and form alike.
 *
 * Such a request must also be addressed to that origin's host: Remix compares Origin with
 * `X-Forwarded-Host` (else `Host`) and throws on a mismatch, which would be a 500 and a stack
 * trace in the log for every forged request. It gets a plain 400 naming the expected host.
 */
export function rejectCrossOriginWrites(options: Pick<SecurityOptions, "origin"> & { allowedOrigins?: readonly string[] }): RequestHandler {
  const normalize = (origin: string) => origin.replace(/\/$/, "").toLowerCase();
  const allowed = new Map<string, string>(); // normalized origin → its host, as URL writes it
  for (const origin of options.allowedOrigins?.length ? options.allowedOrigins : [options.origin]) {
    allowed.set(normalize(origin), new URL(origin).host);
  }
  const accepted = [...allowed.keys()].join(", ");
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.headers.origin;
    const expectedHost = typeof origin === "string" ? allowed.get(origin.toLowerCase()) : undefined;
    if (expectedHost === undefined) {
      res.status(403).type("text/plain").set("Cache-Control", "no-store");
      res.send(
        origin
          ? `Forbidden: this request comes from another origin (${origin.slice(0, 200)}). Binôme accepts changes only from ${accepted}.`
          : `Forbidden: the request has no Origin header. Binôme accepts changes only from pages served at ${accepted}.`,
      );
      return;
    }
    // The host Remix will compare, exactly as it reads it (first X-Forwarded-Host, else Host).
    const forwarded = req.headers["x-forwarded-host"];
    const forwardedHost = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
    const header = forwardedHost ? "X-Forwarded-Host" : "Host";
    const host = forwardedHost || req.headers.host || "";
    if (host === expectedHost) return next();
    res.status(400).type("text/plain").set("Cache-Control", "no-store");
    res.send(
      `Bad request: this request is addressed to ${host ? `the host ${host.slice(0, 200)}` : "no host"} (${header} header), ` +
        `but a form from ${origin} must be sent to ${expectedHost}.`,
    );
  };
}
