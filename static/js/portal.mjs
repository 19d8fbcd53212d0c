import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

initAll();

// Every htmx request carries the CSRF token from the page.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector('meta[name="csrf-token"]');
  if (token) event.detail.headers["X-CSRFToken"] = token.content;
});

// Live results replace the filters too: keep "Can we bid?" open if the person opened it, before the swap, so
// focus can return to the filter they were using.
const BID_FILTERS = '<details class="govuk-details" id="bid-filters"';
document.addEventListener("htmx:beforeSwap", (event) => {
  const response = event.detail.serverResponse;
  if (document.getElementById("bid-filters")?.open && typeof response === "string") {
    event.detail.serverResponse = response.replace(BID_FILTERS, `${BID_FILTERS} open`);
  }
});

// The plain English check is replaced as the buyer types: keep each part open or closed as they left it.
let checkerOpen = {};
document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.target?.id !== "plain-checker") return;
  checkerOpen = {};
  event.detail.target.querySelectorAll("details[id]").forEach((details) => { checkerOpen[details.id] = details.open; });
});
document.addEventListener("htmx:afterSwap", () => {
  Object.entries(checkerOpen).forEach(([id, open]) => {
    const details = document.getElementById(id);
    if (details) details.open = open;
  });
  checkerOpen = {};
});
