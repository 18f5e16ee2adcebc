// Progressive enhancement only: every page works without this file.
// Each <time> gets the moment in the reader's own time zone as its tooltip.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("time[datetime]").forEach(function (el) {
    var when = new Date(el.getAttribute("datetime"));
    if (!isNaN(when.getTime())) {
      el.title = when.toLocaleString();
    }
  });
});
