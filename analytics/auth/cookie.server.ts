import { getConfig } from "../config.server.ts";

/**
 * The session cookie's name. `__Host-` (which browsers only accept with Secure, Path=/ and no
 * Domain) whenever the public origin is https; a plain name on http://localhost, where a
 * Secure cookie would not be sent back.
 */
export function sessionCookieName(isHttps: boolean = getConfig().isHttps): string {
  return isHttps ? "__Host-binome_session" : "binome_session";
}

function attributes(isHttps: boolean): string {
  return `Path=/; HttpOnly; SameSite=Lax${isHttps ? "; Secure" : ""}`;
}

/** `Set-Cookie` value that stores a session token until the session's absolute expiry. */
export function sessionCookie(token: string, expiresAt: number, now: number = Date.now(), isHttps = getConfig().isHttps): string {
  const maxAge = Math.max(0, Math.floor((expiresAt - now) / 1000));
  return `${sessionCookieName(isHttps)}=${token}; ${attributes(isHttps)}; Max-Age=${maxAge}`;
}

/** `Set-Cookie` value that removes the session cookie. */
export function clearSessionCookie(isHttps = getConfig().isHttps): string {
  return `${sessionCookieName(isHttps)}=; ${attributes(isHttps)}; Max-Age=0`;
}

/**
 * The session token from a `Cookie` header, or null. Tolerates any malformed header (a bad
 * cookie means "signed out", never an error). With several cookies of that name, none is
 * trusted.
 */
export function readSessionToken(cookieHeader: string | null, isHttps = getConfig().isHttps): string | null {
  if (!cookieHeader || cookieHeader.length > 8192) return null;
  const name = sessionCookieName(isHttps);
  const values: string[] = [];
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) values.push(part.slice(eq + 1).trim());
  }
  if (values.length !== 1) return null;
  return values[0] || null;
}
