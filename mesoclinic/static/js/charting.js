// Charting on the SVG diagrams: click to place a point (fills the add-point form and
// suggests the nearest zone), drag a point to move it before sign-off. Without this
// script the same is done with the form's fields and the Move buttons.
(function () {
  "use strict";

  function toPercent(svg, evt) {
    var pt = svg.createSVGPoint();
    pt.x = evt.clientX; pt.y = evt.clientY;
    var p = pt.matrixTransform(svg.getScreenCTM().inverse());
    var vb = svg.viewBox.baseVal;
    return { x: Math.max(0, Math.min(vb.width, p.x)), vx: p.x, vy: Math.max(0, Math.min(vb.height, p.y)) };
  }

  function anchors() {
    var el = document.getElementById("zone-anchors");
    return el ? JSON.parse(el.textContent) : {};
  }

  function nearestZone(view, x, y) {
    var best = null, bestD = Infinity, all = anchors();
    Object.keys(all).forEach(function (zone) {
      var a = all[zone];
      if (a.view !== view && !(view === "left" || view === "right")) return;
      var d = Math.pow(a.x - x, 2) + Math.pow(a.y - y, 2);
      if (d < bestD) { bestD = d; best = zone; }
    });
    return best;
  }

  function setField(form, name, value) {
    var f = form.querySelector("[name=" + name + "]");
    if (f) f.value = value;
  }

  function placeMarker(svg, vx, vy) {
    var old = document.querySelector(".pending-pt");
    if (old) old.remove();
    var c = document.createElementNS("http://www.w3.org/2000/svg", "circle");
    c.setAttribute("class", "pending-pt"); c.setAttribute("r", "2.6");
    c.setAttribute("cx", vx); c.setAttribute("cy", vy);
    svg.appendChild(c);
  }

  function init(root) {
    var form = document.getElementById("point-form");
    (root.querySelectorAll ? root : document).querySelectorAll("svg.diagram.editable").forEach(function (svg) {
      if (svg.dataset.ready) return;
      svg.dataset.ready = "1";
      var dragging = null;
      svg.addEventListener("pointerdown", function (evt) {
        var g = evt.target.closest(".pt");
        if (g) { dragging = g; svg.setPointerCapture(evt.pointerId); evt.preventDefault(); }
      });
      svg.addEventListener("pointermove", function (evt) {
        if (!dragging) return;
        var p = toPercent(svg, evt);
        dragging.setAttribute("transform", "translate(" + p.vx + " " + p.vy + ")");
        dragging.dataset.x = p.x; dragging.dataset.y = p.vy;
      });
      svg.addEventListener("pointerup", function (evt) {
        if (dragging) {
          var g = dragging; dragging = null;
          if (g.dataset.x !== undefined && window.htmx) {
            window.htmx.ajax("POST", g.dataset.moveUrl, { target: "#charting", swap: "outerHTML",
              values: { x: Number(g.dataset.x).toFixed(2), y: Number(g.dataset.y).toFixed(2), view: svg.dataset.view } });
          }
          return;
        }
        if (!form) return;
        var p = toPercent(svg, evt);
        setField(form, "view", svg.dataset.view);
        setField(form, "x", p.x.toFixed(2));
        setField(form, "y", p.vy.toFixed(2));
        var zone = nearestZone(svg.dataset.view, p.x, p.vy);
        if (zone) setField(form, "zone", zone);
        placeMarker(svg, p.vx, p.vy);
        var depth = form.querySelector("[name=depth_mm]");
        if (depth) depth.focus();
      });
    });
    if (form && !form.dataset.ready) {
      form.dataset.ready = "1";
      var zoneSelect = form.querySelector("[name=zone]");
      if (zoneSelect) zoneSelect.addEventListener("change", function () {
        // a zone chosen from the list, without a click: use its usual place
        var a = anchors()[zoneSelect.value];
        if (a && !document.querySelector(".pending-pt")) {
          setField(form, "view", a.view); setField(form, "x", a.x); setField(form, "y", a.y);
        }
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function () { init(document); });
})();
