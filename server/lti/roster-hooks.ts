/** The launch hook main.ts installs: an instructor's launch into a course refreshes its roster in the background. */
import type { Db } from "../db/database";
import type { Logger } from "../logger";
import type { LaunchHooks } from "./routes/launch";
import { syncRoster } from "./nrps";

export function rosterSyncOnInstructorLaunch(db: Db, logger: Logger): LaunchHooks & { idle(): Promise<void> } {
  const running = new Map<number, Promise<void>>();
  return {
    onInstructorLaunch(contextId) {
      if (running.has(contextId)) return;
      const sync = syncRoster(db, contextId)
        .then((result) =>
          logger.info(
            { event: "lti_roster_sync", contextId, ...result, skipped: result.skipped.length },
            "LMS roster synced",
          ),
        )
        .catch((err: unknown) =>
          logger.warn({ event: "lti_roster_sync_failed", contextId, err }, "LMS roster sync failed"),
        )
        .finally(() => running.delete(contextId));
      running.set(contextId, sync);
    },
    /** Resolves when no sync is running (for shutdown and tests). */
    async idle() {
      await Promise.all(running.values());
    },
  };
}
