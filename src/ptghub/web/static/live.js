// Live updates for ptghub pages: plain JavaScript, no build step.
//
// A page that wants them sets <body data-stream="/events/SLUG/stream" data-version="N">
// (N: the event version the page was rendered from; it is sent as ?version=N so that a
// change made between the render and the connection is caught up at once) and marks its
// regions <div data-live="KEY">. Regions are found by comparing each element's
// data-live with the key, never by building a CSS selector from a key.
// Each "change" message carries {"id", "version", "fragments": {KEY: html}}: the whole
// current HTML of each region, rendered and escaped by the server. Keys the page lacks,
// and regions the message lacks, are left alone. EventSource reconnects by itself and
// resends the last id it saw, so the server can catch a returning page up; when it gives
// up (an answer that is not a stream), this script opens a new one after a pause.
// A page shown in another zone than the event's (<body data-view-tz>) names it with
// &tz=ZONE, so the messages also carry the grids of that zone's days.
// Without JavaScript the page is an ordinary page: reloading it shows the current state.
(function () {
  "use strict";

  var url = document.body && document.body.dataset.stream;
  if (!url || typeof window.EventSource !== "function") {
    return;
  }

  // static/time.js shows new <time> elements in the viewer's zone: it exposes either a
  // function or an object with apply(root); call whichever is there, on each new region.
  function formatTimes(region) {
    var time = window.ptghubTime;
    if (typeof time === "function") {
      time(region);
    } else if (time && typeof time.apply === "function") {
      time.apply(region);
    }
  }

  function swap(fragments) {
    var regions = document.querySelectorAll("[data-live]");
    for (var i = 0; i < regions.length; i++) {
      var key = regions[i].dataset.live;
      if (Object.prototype.hasOwnProperty.call(fragments, key) &&
          typeof fragments[key] === "string") {
        regions[i].innerHTML = fragments[key];
        formatTimes(regions[i]);
      }
    }
  }

  // EventSource retries by itself after a dropped connection, but gives up for good
  // when an answer is not a stream (a 429 for too many streams, a proxy's 502 while the
  // server restarts). A screen left open for days must not stay frozen: then a new
  // EventSource is opened after a pause that doubles up to MAX_PAUSE, and it says the
  // newest change this page has (lastEventId), so that it gets what it missed.
  var MIN_PAUSE = 2000;
  var MAX_PAUSE = 60000;
  var pause = MIN_PAUSE;
  var lastId = null;
  var source = null;

  function address() {
    var params = [];
    if (lastId !== null) {
      params.push("lastEventId=" + lastId);
    } else {
      var version = document.body.dataset.version;
      if (version && /^[0-9]+$/.test(version)) {
        params.push("version=" + version);
      }
    }
    // A page shown in another zone than the event's has grids of that zone's days.
    var viewTz = document.body.dataset.viewTz;
    if (viewTz && viewTz !== document.body.dataset.eventTz) {
      params.push("tz=" + encodeURIComponent(viewTz));
    }
    if (!params.length) {
      return url;
    }
    return url + (url.indexOf("?") === -1 ? "?" : "&") + params.join("&");
  }

  function onChange(event) {
    var message;
    try {
      message = JSON.parse(event.data);
    } catch (error) {
      return; // not ours: ignore it rather than break the page
    }
    if (message && typeof message.fragments === "object" && message.fragments !== null) {
      swap(message.fragments);
      document.body.dataset.version = String(message.version);
      if (typeof message.id === "number" && isFinite(message.id)) {
        lastId = Math.floor(message.id);
      }
    }
  }

  function connect() {
    source = new EventSource(address());
    source.addEventListener("change", onChange);
    source.addEventListener("open", function () {
      pause = MIN_PAUSE;
    });
    source.addEventListener("error", function () {
      if (source.readyState !== EventSource.CLOSED) {
        return; // the browser is reconnecting by itself
      }
      source.close();
      source = null;
      window.setTimeout(connect, pause);
      pause = Math.min(pause * 2, MAX_PAUSE);
    });
  }

  connect();
})();
