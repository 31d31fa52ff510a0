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
// resends the last id it saw, so the server can catch a returning page up.
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

  var version = document.body.dataset.version;
  if (version && /^[0-9]+$/.test(version)) {
    url += (url.indexOf("?") === -1 ? "?" : "&") + "version=" + version;
  }
  // A page shown in another zone than the event's has grids of that zone's days.
  var viewTz = document.body.dataset.viewTz;
  if (viewTz && viewTz !== document.body.dataset.eventTz) {
    url += (url.indexOf("?") === -1 ? "?" : "&") + "tz=" + encodeURIComponent(viewTz);
  }
  var source = new EventSource(url);
  source.addEventListener("change", function (event) {
    var message;
    try {
      message = JSON.parse(event.data);
    } catch (error) {
      return; // not ours: ignore it rather than break the page
    }
    if (message && typeof message.fragments === "object" && message.fragments !== null) {
      swap(message.fragments);
      document.body.dataset.version = String(message.version);
    }
  });
})();
