import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { join } from "node:path";
import { getConfig } from "../analytics/config.server.ts";
import { answerErrors, testFaults, trackRequests } from "./errors.ts";
import { rejectCrossOriginWrites, rejectUnusableHost, securityHeaders } from "./security.ts";

export interface ServerOptions {
  /** The Remix server build, or a function that loads it (Vite's dev server). */
  build: ServerBuild | (() => Promise<ServerBuild>);
  /** Folder of the built browser assets (production). */
  clientDir?: string;
  /** Vite's dev middlewares (development). */
  devMiddleware?: express.RequestHandler;
  /** The public origin; defaults to the configuration's (`BINOME_ORIGIN`). */
  origin?: string;
  /** The origins forms may come from; defaults to `[origin]` when `origin` is given, else the configuration's. */
  allowedOrigins?: string[];
  /**
   * Express's "trust proxy" (which proxies' X-Forwarded-For to believe); defaults to the
   * configuration's (`BINOME_TRUST_PROXY`); null: none.
   */
  trustProxy?: number | string | null;
}

/**
 * The HTTP application: security headers and the CSRF origin check on every request, static
 * assets, then every other request to Remix; an error none of them answered gets the generic
 * 500 page, logged once (server/errors.ts).
 */
export function createApp(options: ServerOptions): express.Express {
  const origin = options.origin ?? getConfig().origin;
  const isHttps = origin.startsWith("https://");
  const app = express();
  app.disable("x-powered-by");
  app.use(trackRequests());
  const trustProxy = options.trustProxy === undefined ? getConfig().trustProxy : options.trustProxy;
  if (trustProxy !== null) {
    try {
      app.set("trust proxy", trustProxy);
    } catch (error) {
      throw new Error(`BINOME_TRUST_PROXY: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  app.use(securityHeaders({ origin, isHttps, dev: Boolean(options.devMiddleware) }));
  app.use(rejectUnusableHost());
  const allowedOrigins = options.allowedOrigins ?? (options.origin ? [options.origin] : getConfig().allowedOrigins);
  app.use(rejectCrossOriginWrites({ origin, allowedOrigins }));
  app.use(compression());
  if (options.devMiddleware) app.use(options.devMiddleware);
  if (options.clientDir) {
    app.use("/assets", express.static(join(options.clientDir, "assets"), { immutable: true, maxAge: "1y" }));
    app.use(express.static(options.clientDir, { maxAge: "1h", index: false }));
  }
  const faults = testFaults();
  if (faults) app.use(faults);
  app.all(
    "*",
    createRequestHandler({
      build: options.build as ServerBuild,
      // Error details (messages, stacks) reach the browser only under Vite's dev server, whatever
      // NODE_ENV says: the production build always sanitizes them.
      mode: options.devMiddleware ? "development" : "production",
      getLoadContext: (req, res) => ({ cspNonce: res.locals.cspNonce as string, clientIp: req.ip ?? null }),
    }),
  );
  app.use(answerErrors());
  return app;
}
