/**
 * Runs the grade outbox on a timer: look for changed scores, send what is due. One pass at a time;
 * started and stopped by server/main.ts (and by tests), never by a route.
 */
import type { Db } from "../db/database";
import type { Course } from "../course";
import type { Logger } from "../logger";
import { enqueueChanges, sendDue, type RetryPolicy } from "./outbox";

export class LtiOutboxSender {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    private readonly course: Course,
    private readonly options: { intervalMs: number; retry: RetryPolicy; logger: Logger },
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
    this.timer.unref();
    void this.tick();
  }

  /** One pass now (also what the timer runs); a pass already running is awaited instead. */
  tick(): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      try {
        if (!this.db.open) return;
        enqueueChanges(this.db, this.course);
        const { sent, failed } = await sendDue(this.db, this.course, this.options.retry);
        if (sent || failed) this.options.logger.info({ event: "lti_outbox", sent, failed }, "LTI grade passback");
      } catch (err) {
        this.options.logger.error({ err }, "LTI grade passback failed");
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
