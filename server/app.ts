import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { join } from "node:path";

export interface ServerOptions {
  /** The Remix server build, or a function that loads it (Vite's dev server). */
  build: ServerBuild | (() => Promise<ServerBuild>);
  /** Folder of the built browser assets (production). */
  clientDir?: string;
  /** Vite's dev middlewares (development). */
  devMiddleware?: express.RequestHandler;
}

/** The HTTP application: static assets, then every other request to Remix. */
export function createApp(options: ServerOptions): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.use(compression());
  if (options.devMiddleware) app.use(options.devMiddleware);
  if (options.clientDir) {
    app.use("/assets", express.static(join(options.clientDir, "assets"), { immutable: true, maxAge: "1y" }));
    app.use(express.static(options.clientDir, { maxAge: "1h", index: false }));
  }
  app.all("*", createRequestHandler({ build: options.build as ServerBuild }));
  return app;
}
