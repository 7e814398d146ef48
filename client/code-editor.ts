/**
 * Replaces each `<textarea data-editor>` with CodeMirror 6 (TypeScript highlighting, line numbers),
 * keeping the textarea as the form field so posting and autosave work unchanged.
 */
import { EditorView, basicSetup } from "codemirror";
import { javascript } from "@codemirror/lang-javascript";

/** The page's CSP nonce, which CodeMirror puts on the <style> element it injects. */
function cspNonce(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? "";
}

export function enhanceCodeEditors(): void {
  for (const textarea of document.querySelectorAll<HTMLTextAreaElement>("textarea[data-editor]")) {
    const host = document.createElement("div");
    host.className = "code-editor";
    textarea.after(host);
    textarea.classList.add("visually-hidden");
    textarea.tabIndex = -1;
    const label = document.querySelector(`label[for="${textarea.id}"]`)?.textContent ?? "Code";
    const view = new EditorView({
      doc: textarea.value,
      parent: host,
      extensions: [
        EditorView.cspNonce.of(cspNonce()),
        basicSetup,
        javascript({ typescript: true }),
        EditorView.contentAttributes.of({ "aria-label": label }),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged) return;
          textarea.value = update.state.doc.toString();
          textarea.dispatchEvent(new Event("input", { bubbles: true }));
        }),
      ],
    });
    document.querySelector<HTMLLabelElement>(`label[for="${textarea.id}"]`)?.addEventListener("click", () => view.focus());
  }
}
