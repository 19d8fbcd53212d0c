import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

initAll();

// Every htmx request carries the CSRF token from the page.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector('meta[name="csrf-token"]');
  if (token) event.detail.headers["X-CSRFToken"] = token.content;
});
