/** One cached remote key set per platform JWKS URL (jose refetches on an unknown kid, with a cooldown). */
import { createRemoteJWKSet } from "jose";

const sets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

export function platformJwks(url: string): ReturnType<typeof createRemoteJWKSet> {
  let set = sets.get(url);
  if (!set) {
    set = createRemoteJWKSet(new URL(url), { timeoutDuration: 10_000, cooldownDuration: 5_000 });
    sets.set(url, set);
  }
  return set;
}
