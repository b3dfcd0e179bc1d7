// Live countdowns on the aftercare pages. Each [data-countdown] element holds the moment an
// instruction ends (ISO 8601 with its offset); the page already says it in plain words
// ("make-up allowed again from 14:30"), so without JavaScript nothing is lost. With it, the
// element shows the time left ("3 h 20 min left") and, once the moment has passed, the
// text of data-done-text. No inline script: loaded from a static file (CSP).
(function () {
  "use strict";

  var lang = document.documentElement.lang || "en";

  function unit(value, name) {
    try {
      return new Intl.NumberFormat(lang, { style: "unit", unit: name, unitDisplay: "short" }).format(value);
    } catch (e) {
      return value + " " + name;
    }
  }

  function left(ms) {
    var minutes = Math.ceil(ms / 60000);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    var mins = minutes % 60;
    if (days >= 2) return unit(days, "day") + (hours ? " " + unit(hours, "hour") : "");
    hours += days * 24;
    if (hours > 0) return unit(hours, "hour") + (mins ? " " + unit(mins, "minute") : "");
    return unit(Math.max(mins, 1), "minute");
  }

  function update(el) {
    var end = Date.parse(el.getAttribute("data-countdown"));
    if (isNaN(end)) return;
    var ms = end - Date.now();
    var item = el.closest("li");
    if (ms <= 0) {
      el.textContent = "· " + (el.getAttribute("data-done-text") || "");
      el.classList.add("countdown-done");
      if (item) item.classList.add("done");
      return;
    }
    var template = document.body.getAttribute("data-left-text") || "({time} left)";
    el.textContent = template.replace("{time}", left(ms));
  }

  function tick() {
    document.querySelectorAll("[data-countdown]").forEach(update);
  }

  document.addEventListener("DOMContentLoaded", function () {
    tick();
    window.setInterval(tick, 15000);
  });
})();
