/**
 * "This browser signed in to this account before": a signed cookie set at each successful sign-in,
 * holding the account, a random device id and an expiry, HMAC-signed with the session secret. The
 * throttle gives such a browser a limit of its own, so guesses from anywhere else never lock the
 * owner out. It grants nothing else: the password is still checked.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Request, Response } from "express";
import { readCookie } from "../http/cookies";

export const KNOWN_DEVICE_COOKIE = "flagship.known";

export class KnownDevices {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly maxAgeMs: number,
  ) {
    // A key of its own, so a value signed for this cookie means nothing anywhere else.
    this.key = createHmac("sha256", secret).update("flagship known-device cookie").digest();
  }

  private sign(payload: string): string {
    return createHmac("sha256", this.key).update(payload).digest("base64url");
  }

  /** The device id when the request carries a valid, unexpired cookie for this account. */
  deviceFor(req: Request, email: string, now = Date.now()): string | undefined {
    const value = readCookie(req, KNOWN_DEVICE_COOKIE);
    const parts = value?.split(".");
    if (!parts || parts.length !== 4) return undefined;
    const [account, device, expires, signature] = parts as [string, string, string, string];
    const expected = Buffer.from(this.sign(`${account}.${device}.${expires}`));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    if (Number(expires) < now) return undefined;
    if (Buffer.from(account, "base64url").toString("utf8") !== email.trim().toLowerCase()) return undefined;
    return device;
  }

  /** Marks this browser as one the account signs in from, keeping its device id if it had one. */
  remember(req: Request, res: Response, email: string, now = Date.now()): void {
    const device = this.deviceFor(req, email, now) ?? randomBytes(12).toString("base64url");
    const account = Buffer.from(email.trim().toLowerCase(), "utf8").toString("base64url");
    const expires = String(now + this.maxAgeMs);
    const payload = `${account}.${device}.${expires}`;
    res.cookie(KNOWN_DEVICE_COOKIE, `${payload}.${this.sign(payload)}`, {
      httpOnly: true,
      sameSite: "lax",
      secure: req.secure,
      // Only the sign-in form needs it.
      path: "/login",
      maxAge: this.maxAgeMs,
    });
  }
}
