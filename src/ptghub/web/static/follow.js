// The "Follow" part of the board and of a team page (web/follow_box.py) without a page
// load: plain JavaScript, no build step.
//
// A form marked data-follow-form is sent with fetch (Accept: application/json, the CSRF
// token in X-CSRF-Token, as static/chair.js does); the reply, or the refusal, is shown
// in #follow-reply (a status region), and #follow is redrawn from the page as the
// server renders it now, with the focus kept on the part that was used. A refusal that
// asks to sign in again leads to the sign-in page. Without JavaScript every form posts
// and the page comes back with the reply.
(function () {
  "use strict";

  if (typeof window.fetch !== "function" || typeof window.URLSearchParams !== "function") {
    return;
  }

  function show(text, ok) {
    var reply = document.getElementById("follow-reply");
    if (reply) {
      reply.textContent = text;
      reply.classList.toggle("error", !ok);
    }
  }

  // Replace #follow by the server's, then say the reply in the new status region.
  function redraw(text) {
    return fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        var old = document.getElementById("follow");
        var fresh = html && new DOMParser().parseFromString(html, "text/html").getElementById("follow");
        if (old && fresh) {
          var copy = document.importNode(fresh, true);
          old.replaceWith(copy);
          var focus = copy.querySelector("select, button");
          if (focus) {
            focus.focus();
          }
        }
        show(text, true);
      })
      .catch(function () {
        show(text, true);
      });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-follow-form")) {
      return;
    }
    event.preventDefault();
    var body = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      body.append(name, String(value));
    });
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        "Content-Type": "application/x-www-form-urlencoded",
        "X-CSRF-Token": String(body.get("csrf") || ""),
      },
      body: body.toString(),
    })
      .then(function (response) {
        return response.json().then(function (answer) {
          return { ok: response.ok, answer: answer };
        });
      })
      .then(function (result) {
        if (result.ok) {
          return redraw(String(result.answer.reply));
        }
        if (result.answer.sign_in) {
          window.location.assign(String(result.answer.sign_in));
          return null;
        }
        show(String(result.answer.error || "That was refused."), false);
        return null;
      })
      .catch(function () {
        show("The server could not be reached; nothing was changed. Try again.", false);
      });
  });
})();
