// Find a team or topic, as one types: plain JavaScript, no build step.
//
// The server already filters (?q=TEXT, see web/search.py): every item the search box
// applies to carries data-filter (its name, slug and topics in lower case, one a line)
// and is rendered hidden when it does not match. This script does the same on each key
// press, keeps ?q= in the address (so a reload or a shared link shows the same), and
// filters again whenever live.js swaps in a region: the stream's regions are rendered
// for every viewer, unfiltered. Groups (data-filter-group) with no item left are hidden.
(function () {
  "use strict";

  var input = document.querySelector("[data-filter-input]");
  if (!input) {
    return;
  }
  var status = document.querySelector("[data-filter-status]");

  // As web/search.py: runs of spaces count as one, lower case on both sides.
  function query() {
    return input.value.replace(/\s+/g, " ").trim();
  }

  function say(text, shown, total) {
    if (!status) {
      return;
    }
    if (!text) {
      status.textContent = "";
    } else if (shown) {
      status.textContent = shown + " of " + total + " teams match \u201c" + text + "\u201d.";
    } else {
      status.textContent = "No team matches \u201c" + text + "\u201d.";
    }
  }

  function apply() {
    var text = query();
    var wanted = text.toLowerCase();
    var items = document.querySelectorAll("[data-filter]");
    var shown = 0;
    for (var i = 0; i < items.length; i++) {
      var match = !wanted || items[i].dataset.filter.indexOf(wanted) !== -1;
      items[i].hidden = !match;
      if (match) {
        shown++;
      }
    }
    var groups = document.querySelectorAll("[data-filter-group]");
    for (var j = 0; j < groups.length; j++) {
      groups[j].hidden = !groups[j].querySelector("[data-filter]:not([hidden])");
    }
    say(text, shown, items.length);
  }

  function remember() {
    var text = query();
    var params = new URLSearchParams(window.location.search);
    if (text) {
      params.set("q", text);
    } else {
      params.delete("q");
    }
    var search = params.toString();
    var address = window.location.pathname + (search ? "?" + search : "") + window.location.hash;
    window.history.replaceState(window.history.state, "", address);
    // Other forms of the page (the time zone's) carry ?q= along: keep it current.
    var kept = document.querySelectorAll("form input[type=hidden][name=q]");
    for (var i = 0; i < kept.length; i++) {
      kept[i].value = text;
    }
  }

  input.addEventListener("input", function () {
    apply();
    remember();
  });

  // A live region swapped in (its children replaced): filter it like the rest.
  if (typeof window.MutationObserver === "function") {
    var regions = document.querySelectorAll("[data-live]");
    var observer = new MutationObserver(apply);
    for (var k = 0; k < regions.length; k++) {
      observer.observe(regions[k], { childList: true });
    }
  }
})();
