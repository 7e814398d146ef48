/**
 * Checks one launch (the form an LMS posts to /lti/launch) in the order the LTI 1.3 core asks: the
 * state is ours, unused and fresh; the id_token is signed by the platform's keys, from its issuer,
 * for our client id, in date; then the nonce, deployment, message type, version and claims. The first
 * failure ends it with a LaunchError naming what was wrong; only the state and nonce are written.
 */
import { decodeJwt, errors, jwtVerify, type JWTPayload } from "jose";
import type { Db } from "../db/database";
import { validate } from "../../grader/validation";
import { CLAIM, MESSAGE_TYPES, deepLinkingClaims, resourceLinkClaims, type LaunchClaims } from "./claims";
import { LaunchError } from "./launch-error";
import { findPlatformById, type Platform } from "./platforms";
import { platformJwks } from "./platform-jwks";
import { consumeState, useNonce, type LoginState } from "./states";

/** Clocks of an LMS and of Flagship may disagree a little. */
export const CLOCK_SKEW_SECONDS = 60;
/** An id_token older than this is refused even if its exp is later (nonces are remembered 24 h). */
export const MAX_TOKEN_AGE_SECONDS = 60 * 60;

export interface VerifiedLaunch {
  platform: Platform;
  state: LoginState;
  claims: LaunchClaims;
}

export async function verifyLaunch(
  db: Db,
  form: { idToken: string; state: string },
  now = Date.now(),
): Promise<VerifiedLaunch> {
  const consumed = consumeState(db, form.state, now);
  if (!consumed.ok) {
    const why = {
      unknown: "Its state is not one Flagship issued. Start the launch again from the LMS.",
      used: "It was already used: each launch's state and nonce work once (a replayed launch). Start the launch again from the LMS.",
      expired:
        "Its state expired: a launch must finish within 10 minutes of starting. Start the launch again from the LMS.",
    }[consumed.reason];
    throw new LaunchError(`state_${consumed.reason}`, `This launch was refused. ${why}`);
  }
  const state = consumed.state;
  const platform = findPlatformById(db, state.platformId);
  if (!platform)
    throw new LaunchError("unknown_platform", "The platform this launch started from is no longer registered.");

  let unverified: JWTPayload;
  try {
    unverified = decodeJwt(form.idToken);
  } catch {
    throw new LaunchError("malformed_id_token", "The id_token is not a well-formed JWT.");
  }
  if (unverified.iss !== platform.issuer) {
    throw new LaunchError(
      "wrong_issuer",
      `The id_token was issued by ${String(unverified.iss)}, but this launch was started for ${platform.issuer}.`,
    );
  }
  const audience = Array.isArray(unverified.aud)
    ? unverified.aud
    : unverified.aud === undefined
      ? []
      : [unverified.aud];
  if (!audience.includes(platform.clientId)) {
    throw new LaunchError(
      "wrong_audience",
      `The id_token is addressed to ${audience.length ? audience.join(", ") : "nobody"} (aud), not to Flagship's client id for ${platform.issuer}, ${platform.clientId}.`,
    );
  }

  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(form.idToken, platformJwks(platform.jwksUrl), {
      issuer: platform.issuer,
      audience: platform.clientId,
      clockTolerance: CLOCK_SKEW_SECONDS,
      maxTokenAge: MAX_TOKEN_AGE_SECONDS,
      currentDate: new Date(now),
      algorithms: ["RS256", "RS384", "RS512", "ES256", "PS256"],
      requiredClaims: ["exp", "iat", "sub", "nonce"],
    }));
  } catch (err) {
    throw explainVerifyError(err, platform);
  }

  if (audience.length > 1 && payload.azp === undefined) {
    throw new LaunchError(
      "missing_azp",
      "The id_token has several audiences but no azp (authorized party) naming Flagship's client id.",
    );
  }
  if (payload.azp !== undefined && payload.azp !== platform.clientId) {
    throw new LaunchError(
      "wrong_azp",
      `The id_token's authorized party (azp) is ${JSON.stringify(payload.azp)}, not Flagship's client id ${platform.clientId}.`,
    );
  }
  if (payload.nonce !== state.nonce) {
    throw new LaunchError("wrong_nonce", "The id_token's nonce is not the one Flagship sent with this login.");
  }
  if (!useNonce(db, platform.id, state.nonce, now)) {
    throw new LaunchError(
      "nonce_replayed",
      "The id_token's nonce was already used (a replayed launch). Start the launch again from the LMS.",
    );
  }

  const messageType = payload[CLAIM.messageType];
  if (messageType === undefined)
    throw new LaunchError("missing_claims", `The id_token lacks the message type claim (${CLAIM.messageType}).`);
  if (!(MESSAGE_TYPES as readonly unknown[]).includes(messageType)) {
    throw new LaunchError(
      "unsupported_message_type",
      `The message type ${JSON.stringify(messageType)} is not one Flagship accepts (${MESSAGE_TYPES.join(", ")}).`,
    );
  }
  const version = payload[CLAIM.version];
  if (version !== "1.3.0") {
    throw new LaunchError(
      version === undefined ? "missing_claims" : "wrong_version",
      `The LTI version claim (${CLAIM.version}) is ${version === undefined ? "missing" : JSON.stringify(version)}; Flagship speaks 1.3.0.`,
    );
  }
  const deploymentId = payload[CLAIM.deploymentId];
  if (typeof deploymentId !== "string" || deploymentId === "") {
    throw new LaunchError("missing_claims", `The id_token lacks the deployment id claim (${CLAIM.deploymentId}).`);
  }
  if (!platform.deploymentIds.includes(deploymentId)) {
    throw new LaunchError(
      "unknown_deployment",
      `The deployment ${deploymentId} is not registered for ${platform.issuer}. An instructor can add it on Flagship's LMS page (deployment ids registered: ${platform.deploymentIds.join(", ")}).`,
    );
  }

  const checked: { ok: true; data: LaunchClaims } | { ok: false; issues: Array<{ path: string; message: string }> } =
    messageType === "LtiDeepLinkingRequest"
      ? validate(deepLinkingClaims, payload)
      : validate(resourceLinkClaims, payload);
  if (!checked.ok) {
    const list = checked.issues.map((i) => `${i.path || "(token)"}: ${i.message}`).join("; ");
    throw new LaunchError("missing_claims", `The id_token lacks required claims or has malformed ones: ${list}.`);
  }
  return { platform, state, claims: checked.data };
}

function explainVerifyError(err: unknown, platform: Platform): LaunchError {
  if (err instanceof errors.JWTExpired)
    return new LaunchError(
      "expired",
      `The id_token has expired (${err.reason === "check_failed" ? "exp is in the past" : err.message}). Start the launch again from the LMS.`,
    );
  if (err instanceof errors.JWSSignatureVerificationFailed) {
    return new LaunchError(
      "bad_signature",
      `The id_token's signature does not verify against the keys ${platform.issuer} publishes at ${platform.jwksUrl}.`,
    );
  }
  if (err instanceof errors.JWKSNoMatchingKey) {
    return new LaunchError(
      "bad_signature",
      `The id_token was signed with a key that ${platform.jwksUrl} does not list.`,
    );
  }
  if (err instanceof errors.JWTClaimValidationFailed) {
    return new LaunchError(
      err.claim === "iat" ? "bad_iat" : "missing_claims",
      `The id_token's ${err.claim} claim is wrong: ${err.message}.`,
    );
  }
  if (
    err instanceof errors.JWKSTimeout ||
    err instanceof errors.JWKSInvalid ||
    (err instanceof Error && err.name === "TypeError")
  ) {
    return new LaunchError(
      "jwks_unavailable",
      `Flagship could not read ${platform.issuer}'s keys from ${platform.jwksUrl}. Try again shortly.`,
      502,
    );
  }
  if (err instanceof errors.JOSEError) return new LaunchError("bad_token", `The id_token was refused: ${err.message}.`);
  return new LaunchError(
    "jwks_unavailable",
    `Flagship could not check the id_token against ${platform.jwksUrl}: ${err instanceof Error ? err.message : String(err)}.`,
    502,
  );
}
