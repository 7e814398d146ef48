/**
 * A select marked `data-autosubmit` (the simulator's "Show" choice of cohort) sends its GET form as
 * soon as it changes. Without JavaScript the form's own button does the same.
 */
export function enableAutosubmit(root: ParentNode = document): void {
  for (const select of root.querySelectorAll<HTMLSelectElement>("select[data-autosubmit]")) {
    const form = select.form;
    if (!form) continue;
    select.addEventListener("change", () => form.requestSubmit());
  }
}
