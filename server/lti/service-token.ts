/**
 * OAuth 2 client-credentials tokens for the LTI services (AGS, NRPS): the tool proves who it is with a
 * JWT signed by its own key (RFC 7523), which the platform checks against /lti/jwks. Tokens are kept
 * in memory until shortly before they expire.
 */
import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { z } from "zod";
import type { Db } from "../db/database";
import type { Platform } from "./platforms";
import { signingKey } from "./keys";
import { ServiceError } from "./service-error";

const tokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive().optional(),
});
const cache = new Map<string, { token: string; expiresAt: number }>();

export async function serviceToken(
  db: Db,
  platform: Platform,
  scopes: readonly string[],
  now = Date.now(),
): Promise<string> {
  // Keyed by where and as whom too: a platform re-registered with another token URL or client id starts afresh.
  const key = `${platform.id} ${platform.tokenUrl} ${platform.clientId} ${[...scopes].sort().join(" ")}`;
  const cached = cache.get(key);
  if (cached && cached.expiresAt > now) return cached.token;
  const { kid, key: privateKey } = await signingKey(db);
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: "RS256", kid })
    .setIssuer(platform.clientId)
    .setSubject(platform.clientId)
    .setAudience(platform.tokenUrl)
    .setIssuedAt()
    .setExpirationTime("5m")
    .setJti(randomUUID())
    .sign(privateKey);
  let res: Response;
  try {
    res = await fetch(platform.tokenUrl, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: assertion,
        scope: scopes.join(" "),
      }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    throw new ServiceError(
      `the token endpoint ${platform.tokenUrl} did not answer (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  if (!res.ok)
    throw new ServiceError(
      `the token endpoint ${platform.tokenUrl} answered ${res.status}: ${(await res.text()).slice(0, 200)}`,
    );
  const parsed = tokenResponse.safeParse(await res.json().catch(() => undefined));
  if (!parsed.success) throw new ServiceError(`the token endpoint ${platform.tokenUrl} sent no access_token`);
  // A minute early, so a token never expires on its way to the platform.
  cache.set(key, { token: parsed.data.access_token, expiresAt: now + ((parsed.data.expires_in ?? 3600) - 60) * 1000 });
  return parsed.data.access_token;
}

/** Forgets a token the platform refused (401), so the next call gets a fresh one. */
export function forgetServiceTokens(platformId: number): void {
  for (const key of cache.keys()) if (key.startsWith(`${platformId} `)) cache.delete(key);
}
