import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUser } from "../helpers/app";
import { useBrowserApp } from "../helpers/browser";

let tmp: string;

// Registered before the app's hooks, so it runs after the app has closed (afterAll runs in reverse).
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const app = useBrowserApp();
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "flagship-browser-export-"));
});

/** A datetime-local value (UTC) `hours` from now. */
const inputTime = (hours: number) => new Date(Date.now() + hours * 3600_000).toISOString().slice(0, 16);

describe("an instructor runs the course in the browser", () => {
  // A long journey: it gets more time than one step, and none of its steps is timed.
  it(
    "sets a deadline, grants an extension, imports a roster, previews and validates an exercise, and downloads the grades",
    { timeout: 120_000 },
    async () => {
      const { user, password } = await makeUser(app.t.db, "instructor");
      const { user: student } = await makeUser(app.t.db, "student");
      const context = await app.browser.newContext({ acceptDownloads: true });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      const consoleErrors: string[] = [];
      page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));

      await app.signIn(page, user.email, password);
      await page.getByRole("link", { name: "Instructor" }).click();

      // Deadline with a late penalty.
      await page.getByRole("link", { name: "Deadlines" }).click();
      await page.getByRole("link", { name: "Edit the deadline of A rollout plan for pickup windows" }).click();
      await page.getByLabel("Due (UTC)", { exact: true }).fill(inputTime(-2));
      await page.getByLabel("Late until (UTC)", { exact: true }).fill(inputTime(48));
      await page.getByLabel("Late policy", { exact: true }).selectOption("penalty");
      await page.getByLabel("Penalty per day (% of points)").fill("10");
      await page.getByRole("button", { name: "Save deadline" }).click();
      await page.getByText("Saved the deadline for").waitFor();
      const saved = app.t.db
        .prepare("SELECT late_policy, penalty_percent FROM exercise_deadlines WHERE exercise_id = 'rollout-plan'")
        .get();
      expect(saved).toEqual({ late_policy: "penalty", penalty_percent: 10 });

      // Extension for one student.
      await page.getByLabel("Student email").fill(student.email);
      await page.getByLabel("New due (UTC)").fill(inputTime(24));
      await page.getByRole("button", { name: "Grant extension" }).click();
      await page.getByText(`${student.email} now has until`).waitFor();
      expect(await page.locator("table.data", { hasText: student.email }).count()).toBe(1);

      // Roster import from a CSV file.
      const csvPath = join(tmp, "roster.csv");
      writeFileSync(csvPath, "email,name,role\nnew.student@example.edu,New Student,student\nbroken,Bad Row,student\n");
      await page.goto(`${app.url}/admin/users`);
      await page.getByLabel("CSV file").setInputFiles(csvPath);
      await page.getByRole("button", { name: "Import roster" }).click();
      await page.getByText("1 added, 1 skipped.").waitFor();
      expect(await page.locator(".import-added code.secret").count()).toBe(1);
      expect(await page.locator(".import-skipped").textContent()).toContain("bad email");
      // The passwords come as a file too, the same ones the report shows.
      const shown = await page.locator(".import-added code.secret").textContent();
      const [passwords] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("link", { name: "Download the passwords (CSV)" }).click(),
      ]);
      expect(passwords.suggestedFilename()).toBe("imported-passwords.csv");
      const passwordsCsv = readFileSync(await passwords.path(), "utf8");
      expect(passwordsCsv.replace(/^\uFEFF/, "").split("\r\n")).toEqual([
        "email,name,role,password",
        `new.student@example.edu,New Student,student,${shown}`,
        "",
      ]);

      // Destructive roster actions ask first; Cancel keeps everything, "Yes" acts.
      const newcomer = page.locator("tr", { hasText: "new.student@example.edu" });
      await page.goto(`${app.url}/admin/users`);
      await newcomer.getByRole("button", { name: "Deactivate" }).click();
      await page.getByText("Deactivate New Student (new.student@example.edu)?").waitFor();
      await page.getByRole("link", { name: "Cancel, keep everything as it is" }).click();
      expect(app.t.db.prepare("SELECT active FROM users WHERE email = 'new.student@example.edu'").pluck().get()).toBe(
        1,
      );
      await newcomer.getByRole("button", { name: "Reset password" }).click();
      await page.getByRole("button", { name: "Yes, reset the password" }).click();
      await page.getByText("New password for new.student@example.edu").waitFor();
      await newcomer.getByRole("button", { name: "Deactivate" }).click();
      await page.getByRole("button", { name: "Yes, deactivate" }).click();
      await page.getByText("new.student@example.edu is deactivated").waitFor();
      expect(app.t.db.prepare("SELECT active FROM users WHERE email = 'new.student@example.edu'").pluck().get()).toBe(
        0,
      );

      // Authoring: validate and preview an exercise, and try an answer from the preview.
      await page.goto(`${app.url}/admin/authoring`);
      expect(await page.locator(".authoring-broken").count()).toBe(0);
      await page
        .locator("tr", { hasText: "metrics-priority-rides" })
        .getByRole("link", { name: "Check and try" })
        .click();
      await page.getByRole("button", { name: "Run the full check" }).click();
      await page.getByText("All checks passed").waitFor();
      await page.getByRole("link", { name: "Preview as a student" }).click();
      await page.getByText("Preview: this is the page students see.").waitFor();
      await page.locator("#f-metrics-0-name").fill("Reach");
      await page.locator("#f-metrics-0-purpose").selectOption("rollout");
      await page.locator("#f-metrics-0-numerator").selectOption("shown");
      await page.locator("#f-metrics-0-denominator").selectOption("eligible");
      await page.getByRole("button", { name: "Submit for grading" }).click();
      await page.getByRole("heading", { name: /Score:/ }).waitFor();
      expect(app.t.db.prepare("SELECT count(*) FROM submissions").pluck().get()).toBe(0);

      // Grade export download.
      await page.goto(`${app.url}/admin/export`);
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("link", { name: "Download gradebook CSV" }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^flagship-grades-\d{4}-\d{2}-\d{2}\.csv$/);
      const file = join(tmp, "grades.csv");
      await download.saveAs(file);
      const csv = readFileSync(file, "utf8");
      expect(csv.startsWith("\uFEFFStudent,SIS Login ID,")).toBe(true);
      expect(csv).toContain("A rollout plan for pickup windows (");
      expect(csv).toContain("new.student@example.edu");

      expect(consoleErrors).toEqual([]);
      await context.close();
    },
  );
});
