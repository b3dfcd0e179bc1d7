// The before/after slider: the range input uncovers the aligned "after" photo over the
// "before" one. No inline script or style: the page's CSP holds.
(function () {
  "use strict";
  function init() {
    var box = document.querySelector("[data-compare-slider]");
    var range = document.querySelector("[data-compare-range]");
    if (!box || !range) return;
    var after = box.querySelector("img.after");
    function update() {
      after.style.clipPath = "inset(0 0 0 " + range.value + "%)";
    }
    range.addEventListener("input", update);
    box.classList.add("ready");
    update();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
