/**
 * A closed <select> shows only as much of the chosen option as fits: on a phone "Expand the schema:
 * add the pickup_window column (old code ignores it)" becomes "Expand the schema: add". When the
 * chosen option's text is wider than the box, its full text is written under it (hidden from screen
 * readers, which read the option in full already). Without JavaScript the native picker still shows
 * every option whole.
 */
let canvas: HTMLCanvasElement | undefined;

function textWidth(text: string, font: string): number {
  canvas ??= document.createElement("canvas");
  const context = canvas.getContext("2d");
  if (!context) return 0;
  context.font = font;
  return context.measureText(text).width;
}

function update(select: HTMLSelectElement, note: HTMLElement): void {
  const text = select.selectedOptions[0]?.textContent?.trim() ?? "";
  const style = getComputedStyle(select);
  // Room for the text: the box less its padding and the drop-down arrow.
  const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 24;
  const cut = select.value !== "" && select.clientWidth > 0 && textWidth(text, style.font) > room;
  note.textContent = cut ? text : "";
  note.hidden = !cut;
}

export function showFullChoices(form: HTMLFormElement): void {
  const pairs: Array<[HTMLSelectElement, HTMLElement]> = [];
  const attach = (select: HTMLSelectElement) => {
    if (select.nextElementSibling?.classList.contains("choice-full")) return;
    const note = document.createElement("p");
    note.className = "choice-full";
    note.setAttribute("aria-hidden", "true");
    note.hidden = true;
    select.after(note);
    pairs.push([select, note]);
    update(select, note);
  };
  form.querySelectorAll<HTMLSelectElement>("select").forEach(attach);
  form.addEventListener("change", (event) => {
    const pair = pairs.find(([s]) => s === event.target);
    if (pair) update(...pair);
  });
  // Rows added by the list editor bring new selects.
  new MutationObserver(() => form.querySelectorAll<HTMLSelectElement>("select").forEach(attach)).observe(form, {
    childList: true,
    subtree: true,
  });
  const updateAll = () => pairs.forEach(([s, n]) => update(s, n));
  window.addEventListener("resize", updateAll);
  // Measured before the page's font has loaded, a label can seem to fit in the fallback font and not
  // in the real one: measure again once fonts and the page have loaded.
  window.addEventListener("load", updateAll);
  void document.fonts.ready.then(updateAll);
  // A select in a folded list row has no width to measure until the row opens ("toggle" does not
  // bubble, so it is caught on the way down).
  form.addEventListener(
    "toggle",
    (event) => {
      const details = event.target as HTMLDetailsElement;
      if (details.open) pairs.filter(([s]) => details.contains(s)).forEach(([s, n]) => update(s, n));
    },
    true,
  );
}
