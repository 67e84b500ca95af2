import { describe, expect, it } from "vitest";
import { getConfig } from "../../analytics/config.server.ts";

/** An environment holding only these variables. */
const env = (vars: Record<string, string>) => vars as NodeJS.ProcessEnv;

describe("the server's configuration", () => {
  it("reads BINOME_TRUST_PROXY as a hop count or a list of proxies, and refuses anything else", () => {
    expect(getConfig(env({})).trustProxy).toBeNull();
    expect(getConfig(env({ BINOME_TRUST_PROXY: "1" })).trustProxy).toBe(1);
    expect(getConfig(env({ BINOME_TRUST_PROXY: "loopback, 10.0.0.0/8" })).trustProxy).toBe("loopback, 10.0.0.0/8");
    expect(() => getConfig(env({ BINOME_TRUST_PROXY: "loopback; rm" }))).toThrow(/BINOME_TRUST_PROXY/);
  });

  it("names the variable of a bad value", () => {
    expect(() => getConfig(env({ PORT: "70000" }))).toThrow(/PORT/);
    expect(() => getConfig(env({ BINOME_ORIGIN: "not a url" }))).toThrow(/BINOME_ORIGIN/);
    expect(getConfig(env({ BINOME_ORIGIN: "https://binome.example.org/" }))).toMatchObject({ origin: "https://binome.example.org", isHttps: true });
  });
});
