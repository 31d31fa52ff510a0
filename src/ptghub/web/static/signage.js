// A room's screen (signage?room=NAME): the large clock ([data-kiosk-clock]) shows the
// minute, moving with the server's clock. The page was rendered at <body data-clock>
// when that clock is simulated (running at data-clock-speed), else at the real time;
// time.js writes the text in the zone the viewer chose. Plain JavaScript, no build step.
(function () {
  "use strict";
  var body = document.body;
  var clocks = document.querySelectorAll("[data-kiosk-clock] time");
  if (!clocks.length) {
    return;
  }
  var clockAt = Date.parse(body.getAttribute("data-clock") || "");
  var speed = parseFloat(body.getAttribute("data-clock-speed") || "1") || 1;
  var loadedAt = Date.now();

  function now() {
    return isNaN(clockAt) ? Date.now() : clockAt + (Date.now() - loadedAt) * speed;
  }

  function tick() {
    var iso = new Date(now()).toISOString();
    var time = window.ptghubTime;
    for (var i = 0; i < clocks.length; i++) {
      clocks[i].setAttribute("datetime", iso);
      if (time && typeof time.apply === "function") {
        time.apply(clocks[i]); // rewrites the text only when the minute changed
      }
    }
  }

  tick();
  window.setInterval(tick, 1000);
})();
