/** Saves the draft in the background a moment after the student stops typing. */

export function csrfToken(form: HTMLFormElement): string {
  return form.querySelector<HTMLInputElement>("input[name=_csrf]")?.value ?? "";
}

export function enableAutosave(form: HTMLFormElement): void {
  const url = form.dataset.autosave;
  const status = form.querySelector<HTMLElement>(".autosave-status");
  if (!url) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const save = async () => {
    const body = new URLSearchParams();
    for (const [key, value] of new FormData(form)) if (typeof value === "string") body.append(key, value);
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: {
          Accept: "application/json",
          "Content-Type": "application/x-www-form-urlencoded",
          "X-CSRF-Token": csrfToken(form),
        },
        body,
        credentials: "same-origin",
      });
      if (status) status.textContent = res.ok ? "Draft saved" : "Draft not saved — use Save draft";
    } catch {
      if (status) status.textContent = "Offline: draft not saved";
    }
  };
  form.addEventListener("input", () => {
    if (status) status.textContent = "Editing…";
    clearTimeout(timer);
    timer = setTimeout(() => void save(), 800);
  });
  form.addEventListener("change", () => form.dispatchEvent(new Event("input")));
}
