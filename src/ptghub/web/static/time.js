/*
 * time.js: shows every <time datetime="..." data-tz data-format="..."> in the time zone
 * of the page (<body data-view-tz>): the one the viewer chose (the event's, their own, or
 * UTC), which the server remembers in a cookie and renders the page in, days split at
 * that zone's midnight. Choosing another zone in the menu loads the page in it (the same
 * form as without JavaScript); time.js adds "My time zone" to the menu.
 *
 * The live stream's snippets come in the event's zone; this file rewrites them with the
 * formats of ptghub/web/templating.py, which it repeats with the same English names:
 *   time 13:00 · date Mon 4 Apr · datetime Mon 4 Apr 13:00 · day Monday 4 April 2022 ·
 *   slot 13:00, or "Tue 01:00" when the local date is not data-day.
 * Snippets swapped in by live.js are rewritten too (a MutationObserver watches the page).
 * It also moves the "now" mark of the schedule grid as real time passes, and reloads a
 * page that asks for it (data-reload-at on <body>, used by signage at slot boundaries),
 * once the server answers.
 * When the server's clock is simulated (data-clock and data-clock-speed on <body>: its
 * reading when the page was made, and its speed), "now" is that clock's, not the
 * browser's, and the notice's time ([data-clock-tick]) moves with it.
 * Without JavaScript the page still works: the form beside the select sends ?tz=ZONE.
 */
(function () {
  "use strict";
  var WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
  var LONG_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var LONG_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  var body = document.body;
  var eventTz = body.getAttribute("data-event-tz") || "UTC";
  var viewTz = body.getAttribute("data-view-tz") || eventTz;
  var formats = {};
  var clockAt = Date.parse(body.getAttribute("data-clock") || "");
  var clockSpeed = parseFloat(body.getAttribute("data-clock-speed") || "1") || 1;
  var loadedAt = Date.now();

  function nowMs() {
    return isNaN(clockAt) ? Date.now() : clockAt + (Date.now() - loadedAt) * clockSpeed;
  }

  function localZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
    } catch (e) {
      return "UTC";
    }
  }
  function chosenZone() {
    return viewTz;
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function parts(date, zone) {
    var format = formats[zone];
    if (!format) {
      format = formats[zone] = new Intl.DateTimeFormat("en-US", {
        timeZone: zone, year: "numeric", month: "numeric", day: "numeric",
        hour: "numeric", minute: "numeric", weekday: "short", hourCycle: "h23"
      });
    }
    var out = {};
    format.formatToParts(date).forEach(function (p) { out[p.type] = p.value; });
    return {
      year: +out.year, month: +out.month, day: +out.day,
      hour: +out.hour % 24, minute: +out.minute, weekday: WEEKDAYS.indexOf(out.weekday)
    };
  }

  function format(date, zone, kind, refDay) {
    var p = parts(date, zone);
    var clock = pad(p.hour) + ":" + pad(p.minute);
    var short = WEEKDAYS[p.weekday] + " " + p.day + " " + MONTHS[p.month - 1];
    if (kind === "time") { return clock; }
    if (kind === "date") { return short; }
    if (kind === "day") {
      return LONG_WEEKDAYS[p.weekday] + " " + p.day + " " + LONG_MONTHS[p.month - 1] + " " + p.year;
    }
    if (kind === "slot") {
      var local = p.year + "-" + pad(p.month) + "-" + pad(p.day);
      return !refDay || local === refDay ? clock : WEEKDAYS[p.weekday] + " " + clock;
    }
    return short + " " + clock;
  }

  function apply(root) {
    var zone = chosenZone();
    var times = root.querySelectorAll ? root.querySelectorAll("time[data-tz]") : [];
    var all = Array.prototype.slice.call(times);
    if (root.matches && root.matches("time[data-tz]")) { all.push(root); }
    all.forEach(function (el) {
      var date = new Date(el.getAttribute("datetime"));
      if (isNaN(date.getTime())) { return; }
      var text;
      try {
        text = format(date, zone, el.getAttribute("data-format"), el.getAttribute("data-day"));
      } catch (e) {
        return; // an unknown zone in storage: keep the server's text
      }
      if (el.textContent !== text) { el.textContent = text; }
      el.setAttribute("title", zone);
    });
    document.querySelectorAll("[data-tz-label]").forEach(function (el) {
      if (el.textContent !== zone) { el.textContent = zone; }
    });
  }

  function tick() {
    if (isNaN(clockAt)) { return; }
    var iso = new Date(nowMs()).toISOString();
    document.querySelectorAll("[data-clock-tick]").forEach(function (el) {
      el.querySelectorAll("time").forEach(function (t) { t.setAttribute("datetime", iso); });
      apply(el);
    });
  }

  function markNow() {
    var now = nowMs();
    document.querySelectorAll("table.grid th[data-start]").forEach(function (th) {
      var start = Date.parse(th.getAttribute("data-start"));
      var end = Date.parse(th.getAttribute("data-end"));
      var isNow = start <= now && now < end;
      if (th.classList.contains("now") === isNow) { return; }
      th.classList.toggle("now", isNow);
      if (isNow) { th.setAttribute("aria-current", "time"); } else { th.removeAttribute("aria-current"); }
      var label = th.querySelector(".now-label");
      if (isNow && !label) {
        label = document.createElement("span");
        label.className = "now-label";
        label.textContent = " (now)";
        var time = th.querySelector("time");
        th.insertBefore(label, time ? time.nextSibling : null); // "13:00 (now)", then the code
      } else if (!isNow && label) {
        label.remove();
      }
      var table = th.closest("table");
      Array.prototype.forEach.call(table.tBodies, function (tbody) {
        Array.prototype.forEach.call(tbody.rows, function (row) {
          var cell = row.cells[th.cellIndex];
          if (cell) { cell.classList.toggle("now", isNow); }
        });
      });
    });
  }

  function enhanceSelect() {
    var select = document.querySelector("select[data-tz-select]");
    if (!select) { return; }
    var local = localZone();
    var mine = null;
    Array.prototype.forEach.call(select.options, function (option) {
      if (option.value === local && option.getAttribute("data-choice") !== "event") { mine = option; }
    });
    if (!mine) {
      mine = document.createElement("option");
      mine.value = local;
      select.appendChild(mine);
    }
    mine.setAttribute("data-choice", "local");
    mine.textContent = "My time zone (" + local + ")";
    var button = document.querySelector("[data-tz-submit]");
    if (button) { button.hidden = true; } // the choice applies at once
    select.addEventListener("change", function () {
      // The server renders the page in the new zone (its days split at that midnight)
      // and remembers the choice for the next pages.
      if (select.form) { select.form.submit(); }
    });
  }

  function scheduleReload() {
    var at = Date.parse(body.getAttribute("data-reload-at") || "");
    if (isNaN(at)) { return; }
    // At least a minute: a client clock ahead of the server's must not reload in a loop.
    var wait = (at - nowMs()) / clockSpeed + 2000;
    window.setTimeout(reloadWhenServing, Math.max(wait, 60000));
  }

  // A screen reloading while the server is away would stay on the browser's error page
  // for good: ask first, and reload only when the page answers (else ask again later).
  function reloadWhenServing() {
    var retry = function () { window.setTimeout(reloadWhenServing, 30000); };
    if (typeof window.fetch !== "function") { window.location.reload(); return; }
    window.fetch(window.location.href, { cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.ok) { window.location.reload(); } else { retry(); }
      }, retry);
  }

  enhanceSelect();
  apply(document);
  markNow();
  window.setInterval(function () { tick(); markNow(); }, Math.max(1000, 30000 / clockSpeed));
  scheduleReload();
  new MutationObserver(function (records) {
    records.forEach(function (record) {
      record.addedNodes.forEach(function (node) {
        if (node.nodeType === 1) { apply(node); }
      });
    });
    markNow();
  }).observe(body, { childList: true, subtree: true });
  window.ptghubTime = { apply: apply, format: format, markNow: markNow };
}());
