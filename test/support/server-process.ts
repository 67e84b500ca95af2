import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { resolve } from "node:path";

export interface RunningServer {
  url: string;
  /** The origin the server believes it has (BINOME_ORIGIN's default), for the CSRF check. */
  origin: string;
  output: () => string;
  stop: () => Promise<void>;
  process: ChildProcess;
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => done(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/**
 * Starts `server/start.ts` (what `npm start` runs after building) as a child process and waits
 * for its "running at" line. Started with node + tsx directly so that killing it kills the server.
 */
export async function startServer(env: Record<string, string>, timeoutMs = 90_000): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [resolve("node_modules/tsx/dist/cli.mjs"), "server/start.ts"], {
    env: { ...process.env, PORT: String(port), NODE_ENV: "production", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  await new Promise<void>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start in time:\n${output}`)), timeoutMs);
    const check = () => {
      if (/is running at/.test(output)) {
        clearTimeout(timer);
        done();
      }
    };
    child.stdout!.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return {
    url: `http://localhost:${port}`,
    origin: env.BINOME_ORIGIN ?? `http://localhost:${port}`,
    output: () => output,
    process: child,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once("exit", () => done());
        child.kill("SIGTERM");
      }),
  };
}
