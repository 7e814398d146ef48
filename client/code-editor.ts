/**
 * Replaces each `<textarea data-editor>` with CodeMirror 6 (TypeScript highlighting unless it is YAML, line numbers),
 * keeping the textarea as the form field so posting and autosave work unchanged.
 *
 * Tab indents (indentWithTab), as students expect in a code editor. The keyboard is never trapped:
 * CodeMirror's documented escape is Escape, then Tab (or Shift-Tab), which moves focus out of the
 * editor; Ctrl-M (Shift-Alt-M on macOS) switches Tab back to moving focus. The page says so beside the
 * editor (views/exercise.ejs).
 */
import { EditorView, basicSetup } from "codemirror";
import { keymap } from "@codemirror/view";
import { indentWithTab } from "@codemirror/commands";
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { tags } from "@lezer/highlight";
import { javascript } from "@codemirror/lang-javascript";

/** The page's CSP nonce, which CodeMirror puts on the <style> element it injects. */
function cspNonce(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? "";
}

/** Token colours that keep at least 4.5:1 on white (the default style's light ones do not). */
const readableHighlight = HighlightStyle.define([
  { tag: tags.keyword, color: "#7a1fa2" },
  { tag: [tags.string, tags.special(tags.string), tags.regexp], color: "#0b6e2e" },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: "#0550ae" },
  { tag: tags.comment, color: "#5b6474", fontStyle: "italic" },
  { tag: [tags.typeName, tags.className, tags.namespace], color: "#8a4600" },
  { tag: [tags.definition(tags.variableName), tags.function(tags.variableName)], color: "#1d4ed8" },
  { tag: [tags.propertyName, tags.variableName, tags.operator, tags.punctuation], color: "#1d2330" },
  { tag: tags.invalid, color: "#b3261e" },
]);

export function enhanceCodeEditors(): void {
  for (const textarea of document.querySelectorAll<HTMLTextAreaElement>("textarea[data-editor]")) {
    const host = document.createElement("div");
    host.className = "code-editor";
    textarea.after(host);
    textarea.classList.add("visually-hidden");
    textarea.tabIndex = -1;
    const label = document.querySelector(`label[for="${textarea.id}"]`)?.textContent ?? "Code";
    const keysHelp = textarea.getAttribute("aria-describedby") ?? "";
    const view = new EditorView({
      doc: textarea.value,
      parent: host,
      extensions: [
        EditorView.cspNonce.of(cspNonce()),
        keymap.of([indentWithTab]),
        basicSetup,
        syntaxHighlighting(readableHighlight),
        // A YAML answer (a rollout policy) gets the editor without TypeScript's highlighting.
        ...(textarea.dataset.editor === "yaml" ? [] : [javascript({ typescript: true })]),
        // tabindex: the editable area is already in the tab order; saying so lets checkers see that
        // the scrolling box around it is reachable by keyboard.
        EditorView.contentAttributes.of({
          "aria-label": label,
          tabindex: "0",
          ...(keysHelp ? { "aria-describedby": keysHelp } : {}),
        }),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged) return;
          textarea.value = update.state.doc.toString();
          textarea.dispatchEvent(new Event("input", { bubbles: true }));
        }),
      ],
    });
    document
      .querySelector<HTMLLabelElement>(`label[for="${textarea.id}"]`)
      ?.addEventListener("click", () => view.focus());
  }
}
