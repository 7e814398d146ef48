/**
 * Code submissions per student: at most CODE_SUBMIT_LIMIT in any CODE_SUBMIT_WINDOW_SECONDS, then
 * 429 with Retry-After. Each one costs a sandboxed grading (or at least a hand-over and a replaced
 * row), so one student's script must not be able to send hundreds a minute. Counted in memory: one
 * web server writes SQLite, so it sees every submission; a restart forgets the window, which only
 * ever lets a student send a few more.
 */
import type { Config } from "../config";

export class SubmitRateLimiter {
  private readonly sent = new Map<number, number[]>();

  constructor(
    readonly max: number,
    readonly windowMs: number,
  ) {}

  private recent(userId: number, now: number): number[] {
    const times = (this.sent.get(userId) ?? []).filter((t) => t > now - this.windowMs);
    if (times.length === 0) this.sent.delete(userId);
    else this.sent.set(userId, times);
    return times;
  }

  /** How long until this student may send another (0: now). */
  waitMs(userId: number, now: number): number {
    const times = this.recent(userId, now);
    const oldest = times[0];
    return times.length < this.max || oldest === undefined ? 0 : oldest + this.windowMs - now;
  }

  record(userId: number, now: number): void {
    this.sent.set(userId, [...this.recent(userId, now), now]);
  }
}

const limiters = new WeakMap<Config, SubmitRateLimiter>();

/** One limiter per app (per config object), made on first use. */
export function codeSubmitLimiter(config: Config): SubmitRateLimiter {
  let limiter = limiters.get(config);
  if (!limiter) {
    limiter = new SubmitRateLimiter(config.CODE_SUBMIT_LIMIT, config.CODE_SUBMIT_WINDOW_SECONDS * 1000);
    limiters.set(config, limiter);
  }
  return limiter;
}
