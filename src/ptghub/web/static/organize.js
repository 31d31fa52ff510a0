// The organizers' forms without a page load (web/organizer.py). A form marked
// data-organize is posted by fetch, asking for JSON, with the page's CSRF token (the
// form's hidden field, also sent as X-CSRF-Token); then the page's main content is fetched
// again and put in place, and the reply (or the refusal) is shown in the flash line.
// Without this script the same forms post and come back (303) with the reply: nothing
// here is needed to use them. The preview button posts as usual (it shows a new page).
"use strict";

(function () {
  function showReply(message, ok) {
    var line = document.querySelector("main [data-flash]");
    if (!line) return;
    line.textContent = message;
    line.hidden = false;
    line.className = "flash " + (ok ? "flash-ok" : "flash-refused");
    line.setAttribute("role", ok ? "status" : "alert");
    line.setAttribute("tabindex", "-1");
    line.focus();
  }

  async function refreshMain() {
    var response = await fetch(window.location.href, {
      headers: { Accept: "text/html" },
      credentials: "same-origin",
    });
    if (!response.ok) return;
    var page = new DOMParser().parseFromString(await response.text(), "text/html");
    var fresh = page.querySelector("main");
    var current = document.querySelector("main");
    if (fresh && current) current.replaceWith(document.importNode(fresh, true));
  }

  async function post(form, submitter) {
    var data = new FormData(form, submitter);
    var action = (submitter && submitter.getAttribute("formaction")) || form.action;
    var response = await fetch(action, {
      method: "POST",
      body: new URLSearchParams(data),
      headers: { Accept: "application/json", "X-CSRF-Token": data.get("csrf") || "" },
      credentials: "same-origin",
    });
    var answer;
    try {
      answer = await response.json();
    } catch (error) {
      answer = { error: "The server answered " + response.status + "; reload the page." };
    }
    await refreshMain();
    showReply(answer.reply || answer.error || "", response.ok);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-organize")) return;
    var submitter = event.submitter || null;
    var action = (submitter && submitter.getAttribute("formaction")) || form.action;
    if (action.endsWith("/preview")) return;
    event.preventDefault();
    post(form, submitter).catch(function () {
      showReply("The change could not be sent; check the connection and try again.", false);
    });
  });
})();
