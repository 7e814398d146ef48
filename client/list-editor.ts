/**
 * In-place editing of list fields (metrics, plan steps): add, remove, move up/down. The server renders
 * every list with real submit buttons and a <template> row; here those buttons are intercepted and the
 * rows renumbered, so input names stay `answer[steps][0][...]`, `answer[steps][1][...]` in order.
 */

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Rewrites the row index inside names, ids, labels and button values of one row and its nested lists. */
function renumberRow(row: Element, list: HTMLElement, index: number): void {
  const name = list.dataset.listName ?? "";
  const id = list.dataset.listId ?? "";
  const actionPath = list.dataset.actionPath ?? "";
  const nameRe = new RegExp(`^${escapeRegExp(name)}\\[[^\\]]+\\]`);
  const idRe = new RegExp(`^${escapeRegExp(id)}-[^-]+`);
  const actionRe = new RegExp(`^(add|remove|up|down):${escapeRegExp(actionPath)}(/[^/:]+|:[^:]+$)`);
  const fix = (el: Element, attr: string, re: RegExp, replacement: string) => {
    const value = el.getAttribute(attr);
    if (value !== null && re.test(value)) el.setAttribute(attr, value.replace(re, replacement));
  };
  for (const el of [row, ...row.querySelectorAll("*")]) {
    fix(el, "name", nameRe, `${name}[${index}]`);
    fix(el, "data-list-name", nameRe, `${name}[${index}]`);
    fix(el, "id", idRe, `${id}-${index}`);
    fix(el, "for", idRe, `${id}-${index}`);
    fix(el, "data-list-id", idRe, `${id}-${index}`);
    const described = el.getAttribute("aria-describedby");
    if (described)
      el.setAttribute(
        "aria-describedby",
        described
          .split(" ")
          .map((d) => d.replace(idRe, `${id}-${index}`))
          .join(" "),
      );
    const value = el.getAttribute("value");
    if (el.tagName === "BUTTON" && value) {
      const m = actionRe.exec(value);
      if (m)
        el.setAttribute(
          "value",
          value.replace(actionRe, (_all, verb: string, rest: string) =>
            rest.startsWith(":") ? `${verb}:${actionPath}:${index}` : `${verb}:${actionPath}/${index}`,
          ),
        );
    }
    if (el.getAttribute("data-action-path")?.startsWith(`${actionPath}/`)) {
      el.setAttribute(
        "data-action-path",
        el
          .getAttribute("data-action-path")!
          .replace(new RegExp(`^${escapeRegExp(actionPath)}/[^/]+`), `${actionPath}/${index}`),
      );
    }
  }
  // The row's own id is "f-<list path>-<index>", one level up from the list's id prefix.
  row.id = `${id}-${index}`;
  for (const number of row.querySelectorAll(
    ":scope > details > summary .item-number, :scope > details > fieldset > legend .item-number",
  ))
    number.textContent = String(index + 1);
  for (const ref of row.querySelectorAll(":scope > .item-actions button .item-ref"))
    ref.textContent = String(index + 1);
}

function rowsOf(list: HTMLElement): HTMLElement[] {
  const items = list.querySelector(":scope > .list-items");
  return items ? (Array.from(items.children) as HTMLElement[]) : [];
}

function renumber(list: HTMLElement): void {
  rowsOf(list).forEach((row, i) => renumberRow(row, list, i));
  const max = Number(list.dataset.maxItems ?? "100");
  const add = list.querySelector<HTMLButtonElement>(":scope > .add-item");
  if (add) add.disabled = rowsOf(list).length >= max;
}

function listFor(button: HTMLButtonElement): HTMLElement | null {
  const [, path] = /^\w+:([^:]+)/.exec(button.value) ?? [];
  let el: HTMLElement | null = button.parentElement;
  while (el && !(el.matches("fieldset.list") && el.dataset.actionPath === path)) el = el.parentElement;
  return el;
}

/** A folded row names its first choice (and any number) in its summary: keep that line in step. */
function updateSummary(field: Element): void {
  const row = field.closest(".list-item");
  if (!row || !(field instanceof HTMLSelectElement || field instanceof HTMLInputElement)) return;
  for (const part of row.querySelectorAll<HTMLElement>(":scope > details > summary .item-summary[data-from]")) {
    if (!field.name.endsWith(`[${part.dataset.from}]`) || field.closest(".list-item") !== row) continue;
    const text =
      field instanceof HTMLSelectElement
        ? field.value
          ? (field.selectedOptions[0]?.textContent?.trim() ?? "")
          : ""
        : field.value.trim();
    part.textContent = text ? `${part.dataset.sep ?? ": "}${text}${part.dataset.unit ?? ""}` : "";
  }
}

export function enhanceLists(form: HTMLFormElement): void {
  for (const type of ["change", "input"])
    form.addEventListener(type, (event) => updateSummary(event.target as Element));
  form.addEventListener("click", (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>("button[name=_action]");
    if (!button || !form.contains(button)) return;
    const verb = button.value.split(":")[0];
    if (verb === "save") return;
    const list = listFor(button);
    if (!list) return;
    event.preventDefault();
    const items = list.querySelector(":scope > .list-items");
    const row = button.closest(".list-item");
    if (verb === "add") {
      const template = list.querySelector<HTMLTemplateElement>(":scope > template.list-item-template");
      const fresh = template?.content.firstElementChild?.cloneNode(true) as HTMLElement | undefined;
      if (!fresh || !items) return;
      items.appendChild(fresh);
      renumber(list);
      fresh.querySelector<HTMLElement>("input, select, textarea")?.focus();
    } else if (row && verb === "remove") {
      const next = (row.nextElementSibling ?? row.previousElementSibling) as HTMLElement | null;
      row.remove();
      renumber(list);
      (
        next?.querySelector<HTMLElement>("input, select, textarea") ??
        list.querySelector<HTMLButtonElement>(".add-item")
      )?.focus();
    } else if (row && verb === "up" && row.previousElementSibling) {
      row.parentElement?.insertBefore(row, row.previousElementSibling);
      renumber(list);
      button.focus();
    } else if (row && verb === "down" && row.nextElementSibling) {
      row.parentElement?.insertBefore(row.nextElementSibling, row);
      renumber(list);
      button.focus();
    }
    form.dispatchEvent(new Event("input", { bubbles: true }));
  });
}
