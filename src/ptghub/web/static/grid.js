// The board's schedule table opens on the running slot: each day's table scrolls
// sideways (inside its .grid-wrap) so that the "now" column, or else the day's first
// slot with anything in it, sits just right of the room names, rather than on the
// night's unavailable columns. A day shown later (a day tab, #grid-DAY) gets the same.
// Plain JavaScript, no build step; without it the table starts at its first column.
(function () {
  "use strict";

  function firstUseful(table) {
    var head = table.tHead && table.tHead.rows[0];
    if (!head) {
      return null;
    }
    for (var col = 1; col < head.cells.length; col++) {
      var rows = table.tBodies.length ? table.tBodies[0].rows : [];
      for (var r = 0; r < rows.length; r++) {
        var cell = rows[r].cells[col];
        if (cell && !cell.classList.contains("unavailable")) {
          return head.cells[col];
        }
      }
    }
    return null;
  }

  function scrollToNow(wrap) {
    if (wrap.dataset.scrolled || wrap.offsetParent === null) {
      return; // done already (the reader may have scrolled since), or not shown
    }
    var table = wrap.querySelector("table.day-table");
    if (!table || wrap.scrollWidth <= wrap.clientWidth) {
      return;
    }
    var target = table.querySelector("thead th.now") || firstUseful(table);
    var rooms = table.tHead && table.tHead.rows[0].cells[0];
    if (!target || !rooms) {
      return;
    }
    // Rooms' column is sticky: bring the slot's left edge to its right edge.
    var delta = target.getBoundingClientRect().left - rooms.getBoundingClientRect().right;
    wrap.scrollLeft = Math.max(0, wrap.scrollLeft + delta);
    wrap.dataset.scrolled = "yes";
  }

  function scrollAll() {
    document.querySelectorAll(".days .grid-wrap").forEach(scrollToNow);
  }

  scrollAll();
  window.addEventListener("hashchange", scrollAll);
  // A phone turned sideways may start showing the table.
  window.addEventListener("resize", scrollAll);
})();
