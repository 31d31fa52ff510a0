// Personal notices for a signed-in person: plain JavaScript, no build step.
//
// Loaded on every page of a signed-in browser (base.html). It listens to
// /me/notices/stream, where the server sends only this person's notices ("a team you
// follow is now on X"), and only when they chose the browser channel. Each notice
// shows as a toast in a role="status" region (read out by screen readers), with a link
// to the team's page; when the person allowed it in the browser, also as a system
// notification. A 401 (signed out meanwhile) ends it. Text goes in as text, never HTML.
(function () {
  "use strict";

  if (typeof window.EventSource !== "function" || !document.body) {
    return;
  }
  var SHOWN = 8000;  // ms a toast stays
  var region = document.createElement("div");
  region.className = "notice-toasts";
  region.setAttribute("role", "status");
  region.setAttribute("aria-live", "polite");
  document.body.appendChild(region);

  function canNotify() {
    return typeof window.Notification === "function";
  }

  function askButton() {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = "Also show as system notifications";
    button.addEventListener("click", function () {
      window.Notification.requestPermission().then(function () {
        button.remove();
      });
    });
    return button;
  }

  function toast(notice) {
    var item = document.createElement("p");
    item.className = "notice-toast";
    var link = document.createElement("a");
    link.href = notice.url;
    link.textContent = notice.name + " (#" + notice.team + ")";
    item.appendChild(link);
    var when = notice.when === "now" ? " is now on: " : " comes next to: ";
    item.appendChild(document.createTextNode(when + notice.topic));
    if (canNotify() && window.Notification.permission === "default") {
      item.appendChild(document.createTextNode(" "));
      item.appendChild(askButton());
    }
    region.appendChild(item);
    window.setTimeout(function () { item.remove(); }, SHOWN);
    if (canNotify() && window.Notification.permission === "granted" && document.hidden) {
      var shown = new window.Notification(notice.text, { tag: notice.text });
      shown.onclick = function () { window.focus(); window.location.href = notice.url; };
    }
  }

  var source = new window.EventSource("/me/notices/stream");
  // The server subscribes before it answers, so once open, no notice is missed: say so
  // on the region (a test, or a style, can wait for it); a lost stream says it again.
  source.addEventListener("open", function () {
    region.setAttribute("data-stream", "open");
  });
  source.addEventListener("error", function () {
    region.setAttribute("data-stream", "connecting");
  });
  source.addEventListener("notice", function (message) {
    try {
      toast(JSON.parse(message.data));
    } catch (error) {
      // A message this page cannot read is skipped; the next one may be fine.
    }
  });
})();
