// Charting on the SVG diagrams: click to place a point (fills the add-point form and
// suggests the nearest zone), drag a point to move it before sign-off. Events are
// delegated from the document, so content htmx swaps in works without re-binding.
// Without this script the same is done with the form's fields and the Move buttons.
(function () {
  "use strict";
  var dragging = null;

  function svgPoint(svg, evt) {
    var pt = svg.createSVGPoint();
    pt.x = evt.clientX; pt.y = evt.clientY;
    var p = pt.matrixTransform(svg.getScreenCTM().inverse());
    var vb = svg.viewBox.baseVal;
    return { x: Math.max(0, Math.min(vb.width, p.x)), y: Math.max(0, Math.min(vb.height, p.y)) };
  }

  function anchors() {
    var el = document.getElementById("zone-anchors");
    return el ? JSON.parse(el.textContent) : {};
  }

  function nearestZone(view, x, y) {
    var best = null, bestD = Infinity, all = anchors();
    Object.keys(all).forEach(function (zone) {
      var a = all[zone];
      if (a.view !== view && view !== "left" && view !== "right") return;
      var d = Math.pow(a.x - x, 2) + Math.pow(a.y - y, 2);
      if (d < bestD) { bestD = d; best = zone; }
    });
    return best;
  }

  function setField(form, name, value) {
    var f = form.querySelector("[name=" + name + "]");
    if (f) f.value = value;
  }

  function placeMarker(svg, x, y) {
    document.querySelectorAll(".pending-pt").forEach(function (old) { old.remove(); });
    var c = document.createElementNS("http://www.w3.org/2000/svg", "circle");
    c.setAttribute("class", "pending-pt"); c.setAttribute("r", "2.6");
    c.setAttribute("cx", x); c.setAttribute("cy", y);
    svg.appendChild(c);
  }

  function editable(evt) {
    return evt.target.closest && evt.target.closest("svg.diagram.editable");
  }

  document.addEventListener("pointerdown", function (evt) {
    var svg = editable(evt);
    var g = svg && evt.target.closest(".pt");
    if (g) { dragging = { g: g, svg: svg, moved: false }; svg.setPointerCapture(evt.pointerId); evt.preventDefault(); }
  });

  document.addEventListener("pointermove", function (evt) {
    if (!dragging) return;
    var p = svgPoint(dragging.svg, evt);
    dragging.g.setAttribute("transform", "translate(" + p.x + " " + p.y + ")");
    dragging.x = p.x; dragging.y = p.y; dragging.moved = true;
  });

  document.addEventListener("pointerup", function (evt) {
    if (dragging) {
      var d = dragging; dragging = null;
      if (d.moved && window.htmx) {
        window.htmx.ajax("POST", d.g.dataset.moveUrl, { target: "#charting", swap: "outerHTML",
          values: { x: d.x.toFixed(2), y: d.y.toFixed(2), view: d.svg.dataset.view } });
      }
      return;
    }
    var svg = editable(evt);
    var form = document.getElementById("point-form");
    if (!svg || !form) return;
    var p = svgPoint(svg, evt);
    setField(form, "view", svg.dataset.view);
    setField(form, "x", p.x.toFixed(2));
    setField(form, "y", p.y.toFixed(2));
    var zone = nearestZone(svg.dataset.view, p.x, p.y);
    if (zone) setField(form, "zone", zone);
    placeMarker(svg, p.x, p.y);
    var depth = form.querySelector("[name=depth_mm]");
    if (depth) depth.focus();
  });

  document.addEventListener("change", function (evt) {
    // a zone chosen from the list, without a click: use the zone's usual place
    if (!evt.target.matches || !evt.target.matches("#point-form [name=zone]")) return;
    if (document.querySelector(".pending-pt")) return;
    var form = document.getElementById("point-form");
    var a = anchors()[evt.target.value];
    if (a) { setField(form, "view", a.view); setField(form, "x", a.x); setField(form, "y", a.y); }
  });
})();
