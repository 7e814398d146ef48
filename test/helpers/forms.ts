/** Turns an answer object into the flat `answer[steps][0][action]=…` fields a browser would post. */
export function toFormFields(value: unknown, prefix = "answer"): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) {
    out[`${prefix}[]`] = value;
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => Object.assign(out, toFormFields(item, `${prefix}[${i}]`)));
  } else if (value !== null && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) Object.assign(out, toFormFields(v, `${prefix}[${key}]`));
  } else if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    out[prefix] = String(value);
  }
  return out;
}

/** URL-encodes fields the way a form post does, repeating keys for arrays. */
export function encodeForm(fields: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
  }
  return params.toString();
}
