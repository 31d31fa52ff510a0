// The signed-in person's forms (web/chair_panel.py) without a page load: plain
// JavaScript, no build step.
//
// The page embeds <script type="application/json" id="chair-data">: where commands are
// posted, the CSRF token, the page to come back to, whether the person organizes the
// event, and the teams they may change ([slug, name] pairs). It is outside the live
// regions, which are the same for every viewer.
//
// - A form marked data-command-form is sent with fetch (Accept: application/json, the
//   token in X-CSRF-Token); the reply, or the refusal, is shown in #act-reply (a status
//   region), and the panel is read again from the page so that its lists are current.
//   The change reaches every viewer's board on the live stream, this one's included.
// - A click on a free cell of the grid offers to book it for one of the person's teams;
//   a click on a cell of one of their teams offers to unbook it. The offer is a modal
//   <dialog> (focus moves into it, Escape closes it, focus returns to the grid).
// Without JavaScript every form posts and the page comes back with the reply.
(function () {
  "use strict";

  var blob = document.getElementById("chair-data");
  if (!blob || typeof window.fetch !== "function" || typeof window.URLSearchParams !== "function") {
    return;
  }
  var data;
  try {
    data = JSON.parse(blob.textContent);
  } catch (error) {
    return;
  }
  var teams = Array.isArray(data.teams) ? data.teams : [];

  function show(text, ok) {
    var reply = document.getElementById("act-reply");
    if (!reply) {
      return;
    }
    reply.textContent = text;
    reply.classList.toggle("error", !ok);
  }

  // The lists of the panel as the server renders them now (the cells to book and to
  // free, where the person is checked in): only those forms are replaced, so that
  // nothing the person is typing in another form is lost, and the focus stays.
  function refresh() {
    return fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (!html) {
          return;
        }
        var fresh = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("#act form[data-refresh]").forEach(function (form) {
          var key = form.getAttribute("data-refresh");
          var found = fresh.querySelectorAll("#act form[data-refresh]");
          for (var i = 0; i < found.length; i++) {
            if (found[i].getAttribute("data-refresh") === key) {
              var focused = form.contains(document.activeElement);
              var copy = document.importNode(found[i], true);
              form.replaceWith(copy);
              if (focused) {
                // Its button may be gone (nothing left to free): then its list takes it.
                var next = copy.querySelector("button, select, [id]");
                if (next) {
                  if (!/^(BUTTON|SELECT|INPUT)$/.test(next.tagName)) {
                    next.setAttribute("tabindex", "-1"); // a note, focusable by script only
                  }
                  next.focus();
                }
              }
              return;
            }
          }
        });
      })
      .catch(function () {
        // The reply is shown; the lists stay as they were until the next page load.
      });
  }

  function send(fields, form) {
    var body = new URLSearchParams(fields);
    body.set("csrf", data.csrf);
    body.set("back", data.back);
    return fetch(data.action, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        "Content-Type": "application/x-www-form-urlencoded",
        "X-CSRF-Token": data.csrf,
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
          show(String(result.answer.reply), true);
          if (form && form.hasAttribute("data-reset")) {
            form.reset(); // a topic is sent once; an address or a colour stays as set
          }
          return refresh();
        }
        show(String(result.answer.error || "The command was refused."), false);
        return null;
      })
      .catch(function () {
        show("The server could not be reached; nothing was sent. Try again.", false);
      });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-command-form")) {
      return;
    }
    event.preventDefault();
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      fields.push([name, String(value)]);
    });
    send(fields, form);
  });

  // -- the grid: a click offers the forms --------------------------------------------

  function teamName(slug) {
    for (var i = 0; i < teams.length; i++) {
      if (teams[i][0] === slug) {
        return teams[i][1];
      }
    }
    return null;
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  // A modal dialog: a question, an optional choice of team, a button that sends.
  function offer(cell, verb, title, choices) {
    var dialog = element("dialog", { class: "act-dialog", "aria-labelledby": "act-dialog-title" });
    dialog.appendChild(element("h2", { id: "act-dialog-title" }, title));
    var form = element("form", { method: "dialog" });
    var select = null;
    if (choices.length > 1) {
      form.appendChild(element("label", { for: "act-dialog-team" }, "For team"));
      select = element("select", { id: "act-dialog-team" });
      // The team whose forms the panel shows comes first to mind.
      var shown = document.querySelector("#act .act-forms input[name='team']");
      choices.forEach(function (team) {
        var option = element("option", { value: team[0] }, team[1]);
        option.selected = Boolean(shown && shown.value === team[0]);
        select.appendChild(option);
      });
      form.appendChild(select);
    }
    var go = element("button", { type: "submit", value: "go" }, verb === "book" ? "Book" : "Unbook");
    var cancel = element("button", { type: "button" }, "Cancel");
    form.appendChild(go);
    form.appendChild(cancel);
    dialog.appendChild(form);
    cancel.addEventListener("click", function () {
      dialog.close();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var team = select ? select.value : choices[0][0];
      dialog.close();
      send([["verb", verb], ["team", team], ["cell", cell.dataset.cell]]);
    });
    dialog.addEventListener("close", function () {
      dialog.remove(); // the browser gives the focus back to where it was
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    (select || go).focus();
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element) || target.closest("a, button, dialog")) {
      return; // a badge's link still leads to its team
    }
    var cell = target.closest("[data-live] .cell[data-cell]");
    if (!cell || !teams.length) {
      return;
    }
    var holder = cell.dataset.team;
    if (!holder && cell.classList.contains("free")) {
      offer(cell, "book", "Book " + cell.dataset.cell, teams);
    } else if (holder && teamName(holder) !== null) {
      // A planned cell is the organizers' to free: the command says so to anyone else.
      offer(cell, "unbook", "Unbook " + cell.dataset.cell + " (" + teamName(holder) + ")", [
        [holder, teamName(holder)],
      ]);
    }
  });
})();
