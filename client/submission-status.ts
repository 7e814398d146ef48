/** While a submission is queued or running, polls the API and refreshes the page when it is graded. */

interface StatusReply {
  status: string;
  position: number | null;
}

export function followSubmissionStatus(el: HTMLElement): void {
  const id = el.dataset.submissionId;
  if (!id || (el.dataset.status !== "queued" && el.dataset.status !== "running")) return;
  const badge = el.querySelector<HTMLElement>(".badge");
  let delay = 500;
  const poll = async () => {
    try {
      const res = await fetch(`/api/submissions/${id}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (res.ok) {
        const reply = (await res.json()) as StatusReply;
        if (reply.status !== "queued" && reply.status !== "running") {
          window.location.reload();
          return;
        }
        if (badge) {
          badge.textContent =
            reply.status === "running" ? "Grading now…" : `Queued — position ${reply.position ?? "?"} in line`;
          badge.className = `badge badge-${reply.status}`;
        }
      }
    } catch {
      // Network hiccup: keep polling, a little slower.
    }
    delay = Math.min(delay * 1.3, 3000);
    setTimeout(() => void poll(), delay);
  };
  setTimeout(() => void poll(), delay);
}
