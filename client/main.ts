/**
 * Progressive enhancement for the pages. Everything works without this script (forms post, list
 * buttons round-trip to the server, result pages say "reload"); with it, lists edit in place, drafts
 * save as you type, the code editor highlights, and grading status updates live.
 */
import { enhanceLists } from "./list-editor";
import { enableAutosave } from "./autosave";
import { followSubmissionStatus } from "./submission-status";
import { showFullChoices } from "./choice-labels";
import { enableAutosubmit } from "./autosubmit";

function start(): void {
  for (const form of document.querySelectorAll<HTMLFormElement>("form.answer-form")) {
    enhanceLists(form);
    enableAutosave(form);
  }
  // Any form's select can hold an option longer than a phone is wide (a late policy, a rubric item).
  for (const form of document.querySelectorAll<HTMLFormElement>("form"))
    if (form.querySelector("select")) showFullChoices(form);
  enableAutosubmit();
  // CodeMirror is most of the bundle: load it only on pages with a code editor.
  if (document.querySelector("textarea[data-editor]")) void import("./code-editor").then((m) => m.enhanceCodeEditors());
  const status = document.querySelector<HTMLElement>("#submission-status");
  if (status) followSubmissionStatus(status);
  // On a phone the lecture's table of contents would fill the first screen: fold it (one tap opens it).
  const toc = document.querySelector<HTMLDetailsElement>("details.toc-details");
  if (toc && window.matchMedia("(max-width: 50rem)").matches) toc.open = false;
  // A form sent back with errors: bring the first field in error into view and focus it, so a
  // message far below the fold is not mistaken for "nothing happened".
  const invalid = document.querySelector<HTMLElement>('[aria-invalid="true"]');
  if (invalid) {
    invalid.scrollIntoView({ block: "center" });
    invalid.focus({ preventScroll: true });
  }
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
