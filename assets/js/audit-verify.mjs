// Progressive enhancement for the auditor's verify page (/audit/verify); the page works without it
// (its "Check progress" link). While a verification runs, fetch the page again every few seconds and
// swap in the new state of #verify-run: the progress bar moves, and the report replaces it when done.
// An external module, because the Content-Security-Policy allows no inline script; not a meta refresh,
// which reloads the whole page under a screen reader's feet (axe: meta-refresh).

const seconds = Number(document.getElementById("verify-run")?.dataset.interval) || 2;

function schedule() {
  window.setTimeout(update, seconds * 1000);
}

async function update() {
  let html;
  try {
    const response = await fetch(window.location.pathname, {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
    });
    if (!response.ok) {
      schedule();
      return;
    }
    html = await response.text();
  } catch {
    schedule(); // a network blip: try again
    return;
  }
  const fresh = new DOMParser().parseFromString(html, "text/html").getElementById("verify-run");
  const current = document.getElementById("verify-run");
  if (!fresh || !current) {
    return; // signed out, or not the verify page any more: stop, the link still works
  }
  current.replaceWith(document.importNode(fresh, true));
  if (fresh.dataset.running === "true") {
    schedule();
    return;
  }
  const outcome = fresh.querySelector(".govuk-panel__title, .govuk-error-summary__title");
  const announce = document.getElementById("verify-announce");
  if (outcome && announce) {
    announce.textContent = `Verification finished: ${outcome.textContent.trim()}`;
  }
}

if (document.getElementById("verify-run")?.dataset.running === "true") {
  schedule();
}
