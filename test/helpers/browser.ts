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
 * One test app served on a real port with a browser, for a browser test file: call in beforeAll,
 * and `close()` in afterAll.
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
