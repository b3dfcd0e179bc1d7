// Charting on the SVG diagrams. A click charts a point where it lands, with the settings of
// the point form (stage, technique, depth, volume, lot); the server finds the zone from the
// place, checks the point and sends the chart back (htmx). Dragging a point moves it. Every
// request carries the settings, so none of them is forgotten. Clicks made while a request
// is on its way wait their turn. Nothing takes the focus or scrolls the page. Events are
// delegated from the document, so content htmx swaps in works without re-binding. Without
// this script the form's zone list and the Move buttons do the same. The quick settings
// (presets) fill the form's stage, technique and depth in one tap.
(function () {
  "use strict";
  var dragging = null;
  var queue = [];
  var busy = false;

  function svgPoint(svg, evt) {
    var pt = svg.createSVGPoint();
    pt.x = evt.clientX; pt.y = evt.clientY;
    var p = pt.matrixTransform(svg.getScreenCTM().inverse());
    var vb = svg.viewBox.baseVal;
    return { x: Math.max(0, Math.min(vb.width, p.x)), y: Math.max(0, Math.min(vb.height, p.y)) };
  }

  function form() {
    return document.getElementById("point-form");
  }

  function settings() {
    var out = {};
    var f = form();
    if (!f) return out;
    Array.prototype.forEach.call(f.elements, function (el) {  // with "both sides", outside it
      if (!el.classList.contains("setting")) return;
      out[el.name] = el.type === "checkbox" ? (el.checked ? el.value : "") : el.value;
    });
    return out;
  }

  function marker(view, x, y) {
    var svg = document.querySelector('svg.diagram[data-view="' + view + '"]');
    if (!svg) return;
    var c = document.createElementNS("http://www.w3.org/2000/svg", "circle");
    c.setAttribute("class", "pending-pt"); c.setAttribute("r", "2.6");
    c.setAttribute("cx", String(x)); c.setAttribute("cy", String(y));
    svg.appendChild(c);
  }

  function pump() {
    if (busy || !queue.length) return;
    var job = queue.shift();
    var values = settings();
    Object.keys(job.values).forEach(function (k) { values[k] = job.values[k]; });
    if (!window.htmx) {  // no htmx: post the form itself, the page reloads
      var f = form();
      if (!f) return;
      Object.keys(job.values).forEach(function (k) {
        var el = f.querySelector("[name=" + k + "]");
        if (el) el.value = job.values[k];
      });
      f.submit();
      return;
    }
    busy = true;
    var done = function () { busy = false; pump(); };
    window.htmx.ajax("POST", job.url, { target: "#charting", swap: "outerHTML", values: values })
      .then(done, done);
  }

  function editable(evt) {
    return evt.target.closest && evt.target.closest("svg.diagram.editable");
  }

  document.addEventListener("pointerdown", function (evt) {
    var svg = editable(evt);
    var g = svg && evt.target.closest(".pt");
    if (g && evt.button === 0) {
      var start = svgPoint(svg, evt);
      dragging = { g: g, svg: svg, moved: false, x0: start.x, y0: start.y };
      svg.setPointerCapture(evt.pointerId);
      evt.preventDefault();
    }
  });

  document.addEventListener("pointermove", function (evt) {
    if (!dragging) return;
    var p = svgPoint(dragging.svg, evt);
    if (!dragging.moved && Math.abs(p.x - dragging.x0) + Math.abs(p.y - dragging.y0) < 1) return;
    dragging.g.setAttribute("transform", "translate(" + p.x.toFixed(2) + " " + p.y.toFixed(2) + ")");
    dragging.g.classList.add("moving");
    dragging.x = p.x; dragging.y = p.y; dragging.moved = true;
  });

  document.addEventListener("pointerup", function (evt) {
    if (dragging) {
      var d = dragging; dragging = null;
      if (d.moved) {
        queue.push({ url: d.g.dataset.moveUrl,
          values: { x: d.x.toFixed(2), y: d.y.toFixed(2), view: d.svg.dataset.view } });
        pump();
      }
      return;
    }
    var svg = editable(evt);
    var f = form();
    if (!svg || !f || evt.button !== 0) return;
    var p = svgPoint(svg, evt);
    var job = { url: f.getAttribute("action"), view: svg.dataset.view, x: p.x, y: p.y,
      values: { view: svg.dataset.view, x: p.x.toFixed(2), y: p.y.toFixed(2), zone: "" } };
    marker(job.view, p.x, p.y);
    queue.push(job);
    pump();
  });

  // the chart was swapped in: show the clicks still waiting for their turn
  document.addEventListener("htmx:afterSwap", function () {
    queue.forEach(function (job) { if (job.view) marker(job.view, job.x, job.y); });
    syncPresets();
  });

  // Quick settings: one tap on a preset fills the stage, technique and depth of the point
  // form (the next clicks chart with them); the preset that matches the form is shown
  // pressed, whether it was tapped or the form was changed by hand.
  function field(name) {
    var f = form();
    return f && f.querySelector("[name=" + name + "]");
  }

  function plainDepth(value) {
    var v = (value || "").trim().replace(",", ".");
    var n = Number(v);
    return v === "" || isNaN(n) ? v : n.toFixed(1);
  }

  function syncPresets() {
    var stage = field("stage"), technique = field("technique"), depth = field("depth_mm");
    document.querySelectorAll("button.preset").forEach(function (b) {
      var on = Boolean(technique && depth) && (!stage || stage.value === b.dataset.stage) &&
        technique.value === b.dataset.technique && plainDepth(depth.value) === b.dataset.depth;
      b.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  document.addEventListener("click", function (evt) {
    var b = evt.target.closest && evt.target.closest("button.preset");
    if (!b) return;
    var stage = field("stage"), technique = field("technique"), depth = field("depth_mm");
    if (stage && b.dataset.stage) stage.value = b.dataset.stage;
    if (technique) technique.value = b.dataset.technique;
    if (depth) depth.value = b.dataset.depth;
    syncPresets();
  });

  ["input", "change"].forEach(function (type) {
    document.addEventListener(type, function (evt) {
      if (evt.target.closest && evt.target.closest("#point-form")) syncPresets();
    });
  });
  document.addEventListener("DOMContentLoaded", syncPresets);
})();
