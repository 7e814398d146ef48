/**
 * The tool's signing keys (RS256). The newest unretired key signs client assertions and deep-linking
 * responses; rotating retires it but keeps publishing its public half for a grace period, because a
 * platform may still be checking something it signed (and caches our JWKS).
 */
import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, importJWK, type JWK, type CryptoKey } from "jose";
import { z } from "zod";
import type { Db } from "../db/database";
import { jsonColumn, queryRow, queryValues } from "../db/query";

export const KEY_GRACE_MS = 24 * 60 * 60 * 1000;

const keyRow = z.object({
  kid: z.string(),
  public_jwk: z.string(),
  private_jwk: z.string(),
  created_at: z.number(),
  retired_at: z.number().nullable(),
});
type KeyRow = z.output<typeof keyRow>;

/** A JWK column: JSON text of an object with a key type; jose checks the rest when it imports the key. */
const jwkColumn = jsonColumn.pipe(
  z.custom<JWK>((v) => typeof v === "object" && v !== null && "kty" in v, "is not a JSON Web Key"),
);

export interface SigningKey {
  kid: string;
  key: CryptoKey;
}

async function newKeyRow(now: number): Promise<KeyRow> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true, modulusLength: 2048 });
  const kid = randomUUID();
  const pub: JWK = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  const priv: JWK = { ...(await exportJWK(privateKey)), kid, alg: "RS256" };
  return { kid, public_jwk: JSON.stringify(pub), private_jwk: JSON.stringify(priv), created_at: now, retired_at: null };
}

function insertKey(db: Db, row: KeyRow): void {
  db.prepare("INSERT INTO lti_keys (kid, public_jwk, private_jwk, created_at, retired_at) VALUES (?, ?, ?, ?, ?)").run(
    row.kid,
    row.public_jwk,
    row.private_jwk,
    row.created_at,
    row.retired_at,
  );
}

function activeRow(db: Db): KeyRow | undefined {
  return queryRow(
    db,
    "SELECT * FROM lti_keys WHERE retired_at IS NULL ORDER BY created_at DESC, rowid DESC LIMIT 1",
    [],
    keyRow,
  );
}

/** The key that signs now, made on first use. */
export async function signingKey(db: Db, now = Date.now()): Promise<SigningKey> {
  let row = activeRow(db);
  if (!row) {
    const fresh = await newKeyRow(now);
    // Two first uses at once: the second insert is harmless, the newest one signs from then on.
    insertKey(db, fresh);
    row = activeRow(db) ?? fresh;
  }
  const key = (await importJWK(jwkColumn.parse(row.private_jwk), "RS256")) as CryptoKey;
  return { kid: row.kid, key };
}

/** Makes a new signing key and retires the current one (published until the grace period ends). */
export async function rotateKey(db: Db, now = Date.now()): Promise<{ kid: string; retired: string[] }> {
  const fresh = await newKeyRow(now);
  const retired = db.transaction(() => {
    const old = queryValues(db, "SELECT kid FROM lti_keys WHERE retired_at IS NULL", [], z.string());
    db.prepare("UPDATE lti_keys SET retired_at = ? WHERE retired_at IS NULL").run(now);
    insertKey(db, fresh);
    return old;
  })();
  return { kid: fresh.kid, retired };
}

/** The public keys a platform may see signatures from: the active one and retired ones within the grace. */
export async function publicJwks(db: Db, now = Date.now()): Promise<{ keys: JWK[] }> {
  await signingKey(db, now);
  const keys = queryValues(
    db,
    "SELECT public_jwk FROM lti_keys WHERE retired_at IS NULL OR retired_at > ? ORDER BY created_at DESC",
    [now - KEY_GRACE_MS],
    jwkColumn,
  );
  return { keys };
}
