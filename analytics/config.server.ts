import { dirname, join, resolve } from "node:path";
import { z } from "zod";

const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  BINOME_DB: z.string().min(1).default("data/binome.duckdb"),
  /** Generate and import the demo programs (and demo users) into an empty database. */
  BINOME_DEMO: z.enum(["0", "1"]).default("1"),
  /**
   * The public origin, e.g. https://binome.example.org. Unset: http://localhost:PORT, and forms
   * are also accepted from http://127.0.0.1:PORT and http://[::1]:PORT.
   */
  BINOME_ORIGIN: z.string().url().optional(),
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  /**
   * Behind a reverse proxy: which proxies to believe about the client's address
   * (X-Forwarded-For), for the per-IP sign-in throttle. Express's "trust proxy": a number of
   * hops, or addresses, CIDR ranges and the names loopback, linklocal, uniquelocal, comma-separated.
   */
  BINOME_TRUST_PROXY: z
    .string()
    .trim()
    .regex(/^(\d+|[0-9A-Za-z.:/_-]+(\s*,\s*[0-9A-Za-z.:/_-]+)*)$/, "a number of hops, or addresses, CIDR ranges, loopback, linklocal, uniquelocal (comma-separated)")
    .optional(),
  /** Where the Backups page writes and lists backups; default: a `backups` folder next to the database file. */
  BINOME_BACKUP_DIR: z.string().trim().min(1).optional(),
});

export type AppConfig = {
  port: number;
  dbPath: string;
  demo: boolean;
  /** The canonical public origin: BINOME_ORIGIN, or http://localhost:PORT. */
  origin: string;
  /**
   * The origins pages may post forms from (and whose hosts requests may be addressed to):
   * BINOME_ORIGIN alone when it is set; unset, the loopback names of the port (localhost,
   * 127.0.0.1, [::1]), so that a newcomer who opens any of them can sign in.
   */
  allowedOrigins: string[];
  isHttps: boolean;
  production: boolean;
  /** Express's "trust proxy" setting; null: the socket's address is the client's. */
  trustProxy: number | string | null;
  /** The folder of the backups made from the Backups page (absolute). */
  backupDir: string;
};

let config: AppConfig | undefined;

/** The server's configuration, validated once from the environment; a bad value stops the start. */
export function getConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  if (config && env === process.env) return config;
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const origin = (e.BINOME_ORIGIN ?? `http://localhost:${e.PORT}`).replace(/\/$/, "");
  const dbPath = resolve(e.BINOME_DB);
  const result: AppConfig = {
    port: e.PORT,
    dbPath,
    demo: e.BINOME_DEMO === "1",
    origin,
    allowedOrigins: e.BINOME_ORIGIN === undefined ? ["localhost", "127.0.0.1", "[::1]"].map((host) => `http://${host}:${e.PORT}`) : [origin],
    isHttps: origin.startsWith("https://"),
    production: e.NODE_ENV === "production",
    trustProxy: e.BINOME_TRUST_PROXY === undefined ? null : /^\d+$/.test(e.BINOME_TRUST_PROXY) ? Number(e.BINOME_TRUST_PROXY) : e.BINOME_TRUST_PROXY,
    backupDir: resolve(e.BINOME_BACKUP_DIR ?? join(dirname(dbPath), "backups")),
  };
  if (env === process.env) config = result;
  return result;
}
