import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { makeUser } from "../helpers/app";
import { useBrowserApp } from "../helpers/browser";

const reference = readFileSync("exercises/checkout-fallbacks/solution.ts", "utf8");
const app = useBrowserApp({ env: { GRADER_WORKERS: "1" }, startQueue: true });

describe("the checkout exercise in the browser", () => {
  // Grading in the sandbox takes its own time on a loaded machine; the steps themselves are not timed.
  it(
    "edits code in the editor, submits, watches the status and reads the fault space",
    { timeout: 120_000 },
    async () => {
      const { t, browser, url } = app;
      const { user, password } = await makeUser(t.db);
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      page.on("pageerror", (e) => errors.push(e.message));
      await app.signIn(page, user.email, password);

      await page.goto(`${url}/exercises/checkout-fallbacks`);
      const editor = page.locator(".code-editor .cm-content");
      await editor.waitFor();
      // The editor draws only the lines in view; the starter's header (its contract) comes first, and the
      // form's textarea it keeps in sync holds the whole file.
      expect(await editor.textContent()).toContain("Checkout for the sample purchase app");
      expect(await page.locator("#code").inputValue()).toContain("export async function checkout");
      // Replace the starter with a solution that cancels the order when the email fails.
      const buggy = reference.replace(
        /try \{\s*await deps\.email\.sendDiscountEmail\(([^)]*)\);\s*\} catch[^}]*\}/,
        "await deps.email.sendDiscountEmail($1);",
      );
      expect(buggy).not.toBe(reference);
      // Tab indents inside the editor; Escape then Tab leaves it (the keyboard is never trapped).
      await editor.click();
      await page.keyboard.press("Control+Home");
      await page.keyboard.press("Tab");
      expect(await page.locator("#code").inputValue()).toMatch(/^\s+\S/);
      expect(await page.evaluate(() => document.activeElement?.classList.contains("cm-content"))).toBe(true);
      await page.keyboard.press("Escape");
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => Boolean(document.activeElement?.closest(".code-editor")))).toBe(false);
      expect(await page.getByText("press Escape, then Tab").count()).toBe(1);
      await editor.click();
      await page.keyboard.press("Control+A");
      await page.keyboard.press("Delete");
      await page.keyboard.insertText(buggy);
      // The editor keeps the form's textarea in sync, so the post carries what was typed (the editor
      // re-indents new lines, hence the whitespace-insensitive comparison).
      const squash = (text: string) => text.replace(/\s+/g, " ").trim();
      expect(squash(await page.locator("#code").inputValue())).toBe(squash(buggy));
      await page.getByRole("button", { name: "Submit for grading" }).click();
      await page.waitForURL(/\/submissions\/\d+$/);
      // The page follows the queue by itself and shows the result when grading finishes.
      await page.getByRole("heading", { name: /^Submission \d+: [\d.]+ \/ [\d.]+/ }).waitFor({ timeout: 60_000 });
      expect(await page.locator(".test-fail").count()).toBeGreaterThan(0);
      expect(await page.locator(".test-fail").first().textContent()).toContain("email");
      const faultRows = page.locator(".fault-table tr.row-fail");
      expect(await faultRows.count()).toBeGreaterThan(0);
      await faultRows.first().locator("summary").first().click();
      // The failing run reads as a timeline: the failed call and the expected answer, in words.
      const timeline = faultRows.first().locator(".timeline");
      expect(await timeline.locator(".timeline-fault").first().isVisible()).toBe(true);
      expect(await timeline.locator(".timeline-calls").textContent()).toContain("email.sendDiscountEmail#1");
      expect(await timeline.locator(".timeline-verdict").textContent()).toContain("Expected");
      // The raw JSON stays behind its own toggle.
      expect(await faultRows.first().locator(".counterexample-raw pre").isVisible()).toBe(false);
      expect(await faultRows.first().locator(".counterexample-raw pre").textContent()).toContain(
        "email.sendDiscountEmail#1",
      );
      expect(errors, errors.join("\n")).toEqual([]);
      await page.close();
    },
  );
});
