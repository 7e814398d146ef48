/**
 * Launches Debian's chromium through playwright-core. `npm test` installs it first
 * (scripts/ensure-system-deps.sh); if it is still missing the test fails with what to install,
 * never skips.
 */
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { chromium, type Browser, type Page } from "playwright-core";
import type { Express } from "express";
import { afterAll, beforeAll } from "vitest";
import { makeTestApp, type TestApp } from "./app";

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}. Install it with: apt-get install -y chromium (or set CHROMIUM_PATH).`,
    );
  }
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Serves the app on a real loopback port and returns its base URL. */
export function listen(app: Express): Promise<{ url: string; server: Server }> {
  return new Promise((resolve) => {
    const server = app.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, server });
    });
  });
}

/**
 * One test app served on a real port with a browser: call in beforeAll, and `close()` in afterAll
 * (useBrowserApp does both for a browser test file).
 */
export async function startBrowserApp(env: Record<string, string> = {}): Promise<{
  t: TestApp;
  browser: Browser;
  url: string;
  close(): Promise<void>;
}> {
  const t = await makeTestApp(env);
  const { url, server } = await listen(t.app);
  const browser = await launchBrowser();
  return {
    t,
    browser,
    url,
    async close() {
      await browser.close();
      server.close();
      await t.close();
    },
  };
}

/** Signs in through the login form and waits for the page the form redirects to. */
export async function signInPage(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${url}/`);
}

/** What a browser test file works with: the app (database, course, queue), the browser and the app's URL. */
export interface BrowserApp {
  readonly t: TestApp;
  readonly browser: Browser;
  readonly url: string;
  /** Signs in through this app's login form (signInPage). */
  signIn(page: Page, email: string, password: string): Promise<void>;
}

export interface BrowserAppOptions {
  /** Environment of the app (makeTestApp), e.g. `{ GRADER_WORKERS: "1" }`. */
  env?: Record<string, string>;
  /** Starts the grading queue once the app is up, for files whose pages grade submissions. */
  startQueue?: boolean;
  /** The start-up hook's timeout, when the default hook timeout is not enough. */
  timeout?: number;
}

/**
 * The set-up of a browser test file in one call: starts the app on a free port and a browser in
 * beforeAll, closes both in afterAll. Read the fields inside tests and hooks, once beforeAll has run.
 * A file's own beforeAll registered after this call runs after the app is up; its own afterAll runs
 * before the app closes (vitest runs afterAll hooks in reverse order of registration).
 */
export function useBrowserApp(options: BrowserAppOptions = {}): BrowserApp {
  let started: Awaited<ReturnType<typeof startBrowserApp>> | undefined;
  const running = () => {
    if (!started) throw new Error("The browser app is not running: use it inside tests or hooks, after its beforeAll.");
    return started;
  };
  beforeAll(async () => {
    started = await startBrowserApp(options.env);
    if (options.startQueue) await started.t.queue.start();
  }, options.timeout);
  afterAll(() => started?.close());
  return {
    get t() {
      return running().t;
    },
    get browser() {
      return running().browser;
    },
    get url() {
      return running().url;
    },
    signIn: (page, email, password) => signInPage(page, running().url, email, password),
  };
}
