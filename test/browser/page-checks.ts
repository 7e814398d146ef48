/**
 * The checks every page gets, in the page a browser has open: axe-core finds no serious or critical
 * violation (nor the minor ones the issue named), the page does not scroll sideways (long content
 * wraps or scrolls inside a box of its own), and no chosen option is cut off without its full text.
 * Used by the per-role page walks and by the pages a form post lands on.
 */
import { expect } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import { signInPage } from "../helpers/browser";

/** The widths every page is checked at: a phone and a laptop. */
export const widths = [390, 1280] as const;

/** Rules axe leaves off by default that the issue named; minor ones it found are held to as well. */
const extraRules = { "label-content-name-mismatch": { enabled: true } };
const alsoFailing = new Set(["empty-table-header", "label-content-name-mismatch"]);

/** Where the page is wider than the window, and the element the overflow starts at; undefined if not. */
export function sidewaysScroll(page: Page): Promise<string | undefined> {
  return page.evaluate(() => {
    // What a toggle hides must fit too once opened (a counterexample's timeline, its raw JSON); the
    // toggles are closed again after, so the other checks see the page as it was.
    const closed = [...document.querySelectorAll("details")].filter((d) => !d.open);
    for (const d of closed) d.open = true;
    const innerWidth = window.innerWidth;
    const fits = document.documentElement.scrollWidth <= innerWidth;
    if (fits) {
      for (const d of closed) d.open = false;
      return undefined;
    }
    // Name where the overflow starts: an element sticking out past the viewport, not clipped by a
    // scrolling box, whose parent stays inside. That is where to look.
    const clipped = (el: Element) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement)
        if (getComputedStyle(a).overflowX !== "visible") return true;
      return false;
    };
    const culprits: string[] = [];
    for (const el of document.body.querySelectorAll("*")) {
      const right = el.getBoundingClientRect().right;
      const parentRight = el.parentElement?.getBoundingClientRect().right ?? 0;
      if (right > innerWidth && parentRight <= innerWidth && !clipped(el) && culprits.length < 3) {
        const cls =
          typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\s+/).join(".") : "";
        culprits.push(`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${cls} (to ${Math.round(right)} px)`);
      }
    }
    const found = `${document.documentElement.scrollWidth} px wide; starts at: ${culprits.join(", ") || "?"}`;
    for (const d of closed) d.open = false;
    return found;
  });
}

/**
 * Selects whose chosen option is wider than the closed box shows, with its full text nowhere beside it
 * (client/choice-labels.ts writes it under the box): on a phone "No credit after due (refuse late
 * wo". Same measure as the client: the text in the select's font against the box less its arrow.
 */
export function cutChoices(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    // After the page's fonts load, as a person sees it (the client measures again then, too).
    await document.fonts.ready;
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const context = document.createElement("canvas").getContext("2d");
    if (!context) return [];
    const out: string[] = [];
    for (const select of document.querySelectorAll("select")) {
      // checkVisibility, not offsetParent: a select in a folded list row (closed <details>) is laid
      // out but not shown.
      if (!select.checkVisibility() || select.value === "" || select.multiple) continue;
      const text = select.selectedOptions[0]?.textContent?.trim() ?? "";
      const style = getComputedStyle(select);
      context.font = style.font;
      const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 24;
      if (context.measureText(text).width <= room) continue;
      const note = select.nextElementSibling;
      const shown = note instanceof HTMLElement && note.checkVisibility() && note.innerText.trim() === text;
      if (!shown) out.push(`select#${select.id || select.name} shows only part of "${text}"`);
    }
    return out;
  });
}

/** The axe-core violations that fail a page, one line each, naming where they are. */
export async function axeProblems(page: Page): Promise<string[]> {
  // Legacy mode runs axe in the page itself instead of opening a blank page per analysis (half the
  // time; the app has no cross-origin frames), and only violations get full node details.
  const results = await new AxeBuilder({ page })
    .setLegacyMode(true)
    .options({ rules: extraRules, resultTypes: ["violations"] })
    .analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical" || alsoFailing.has(v.id))
    .map((v) => {
      const where = v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(" "))
        .join(", ");
      return `${v.id} (${v.impact}) ${v.help} at ${where}${v.nodes.length > 3 ? ` and ${v.nodes.length - 3} more` : ""}`;
    });
}

/** What one page's checks found, each line prefixed with the page's label and the window width. */
export interface Findings {
  axe: string[];
  overflow: string[];
  cut: string[];
}

export function noFindings(): Findings {
  return { axe: [], overflow: [], cut: [] };
}

/** Runs both checks on the page as it is now, adding what they find under `label`. */
export async function checkOpenPage(page: Page, label: string, found: Findings): Promise<void> {
  const width = page.viewportSize()?.width ?? 0;
  const wide = await sidewaysScroll(page);
  if (wide) found.overflow.push(`${label} at ${width} px: ${wide}`);
  for (const cut of await cutChoices(page)) found.cut.push(`${label} at ${width} px: ${cut}`);
  for (const problem of await axeProblems(page)) found.axe.push(`${label} at ${width} px: ${problem}`);
}

/** Fails the test (softly, so both lists are reported) if anything was found. */
export function expectNoFindings(found: Findings): void {
  expect.soft(found.axe, found.axe.join("\n")).toEqual([]);
  expect.soft(found.overflow, found.overflow.join("\n")).toEqual([]);
  expect.soft(found.cut, found.cut.join("\n")).toEqual([]);
}

/** One browser context for a role (signed in unless anonymous), with one page to walk with. */
export async function roleContext(
  browser: Browser,
  url: string,
  person?: { email: string; password: string },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: widths[0], height: 844 } });
  const page = await context.newPage();
  // Generous: the machine is shared and busy; no verdict depends on time.
  page.setDefaultTimeout(60_000);
  page.setDefaultNavigationTimeout(60_000);
  if (person) await signInPage(page, url, person.email, person.password);
  return { context, page };
}

/**
 * Opens each path at each width in the one page (the window resized between widths, each page loaded
 * afresh at that width so scripts that read the width at load see it) and checks it.
 */
export async function walkPages(
  page: Page,
  url: string,
  paths: string[],
  found: Findings,
  at: readonly number[] = widths,
): Promise<void> {
  for (const width of at) {
    await page.setViewportSize({ width, height: 844 });
    for (const path of paths) {
      const res = await page.goto(`${url}${path}`);
      if (res?.status() !== 200) {
        found.axe.push(`${path} at ${width} px: answered ${res?.status()}`);
        continue;
      }
      await checkOpenPage(page, path, found);
    }
  }
}
