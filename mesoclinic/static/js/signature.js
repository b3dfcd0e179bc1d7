// Signature pad: draw with a finger, a pen or the mouse (pointer events) on every
// [data-signature] block; the drawing goes into the form's hidden "signature" input as a
// PNG data URL when the form is submitted. No inline script: loaded from a static file.
//
// The strokes are kept as points (in fractions of the pad's width) and the pad is always
// redrawn from them, so a resize or a turn of the tablet never loses or smears a signature.
(function () {
  "use strict";

  var PNG = "data:image/png;base64,";

  function setUp(pad) {
    var form = pad.closest("form");
    var canvas = pad.querySelector("canvas");
    var clear = pad.querySelector("[data-signature-clear]");
    var status = pad.querySelector("[data-signature-status]");
    var input = form.querySelector("input[name=signature]");
    var ctx = canvas.getContext("2d");
    var strokes = []; // [[{x, y}, ...], ...], x and y divided by the CSS width
    var background = null; // a signature sent back by the server after a form error
    var current = null;
    var width = 1;

    function signed() {
      return strokes.length > 0 || background !== null;
    }

    function say(message) {
      if (status) status.textContent = message;
    }

    function redraw() {
      // Keep the image small: at most twice the CSS size (the server refuses > 300 KB).
      var ratio = Math.min(window.devicePixelRatio || 1, 2);
      var rect = canvas.getBoundingClientRect();
      width = Math.max(1, rect.width);
      canvas.width = Math.max(1, Math.round(rect.width * ratio));
      canvas.height = Math.max(1, Math.round(rect.height * ratio));
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, rect.width, rect.height);
      if (background && background.complete && background.naturalWidth) {
        ctx.drawImage(background, 0, 0, width, (width * background.naturalHeight) / background.naturalWidth);
      }
      ctx.lineWidth = 2.5;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.strokeStyle = "#111";
      strokes.forEach(function (stroke) {
        for (var i = 0; i < stroke.length; i++) segment(stroke[i - 1] || stroke[i], stroke[i]);
      });
    }

    function segment(from, to) {
      ctx.beginPath();
      ctx.moveTo(from.x * width, from.y * width);
      ctx.lineTo(to.x * width + (from === to ? 0.1 : 0), to.y * width);
      ctx.stroke();
    }

    function point(event) {
      var rect = canvas.getBoundingClientRect();
      return { x: (event.clientX - rect.left) / width, y: (event.clientY - rect.top) / width };
    }

    function reset() {
      strokes = [];
      background = null;
      input.value = "";
      redraw();
      say("");
    }

    canvas.addEventListener("pointerdown", function (event) {
      if (event.button > 0) return;
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      current = [point(event)];
      strokes.push(current);
      segment(current[0], current[0]);
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!current) return;
      event.preventDefault();
      var events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
      (events.length ? events : [event]).forEach(function (e) {
        var p = point(e);
        segment(current[current.length - 1], p);
        current.push(p);
      });
    });
    function stop() {
      if (current) say(pad.dataset.signedText || "");
      current = null;
    }
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    canvas.addEventListener("keydown", function (event) {
      if (event.key === "Delete" || event.key === "Backspace") {
        event.preventDefault();
        reset();
      }
    });
    clear.addEventListener("click", function () {
      reset();
      canvas.focus();
    });
    form.addEventListener("submit", function () {
      input.value = signed() ? canvas.toDataURL("image/png") : "";
    });
    window.addEventListener("resize", redraw);

    pad.hidden = false;
    if (input.value.indexOf(PNG) === 0) {
      background = new Image();
      background.onload = function () {
        redraw();
        say(pad.dataset.signedText || "");
      };
      background.src = input.value;
    }
    redraw();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-signature]"), setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
