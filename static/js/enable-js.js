// Runs before the page paints so GOV.UK Frontend styles for JavaScript-enabled pages apply at once.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
