// Signature pad: draw with a finger, a pen or the mouse (pointer events) on every
// [data-signature] block; the drawing goes into the form's hidden "signature" input as a
// PNG data URL when the form is submitted. No inline script: loaded from a static file.
(function () {
  "use strict";

  function setUp(pad) {
    var form = pad.closest("form");
    var canvas = pad.querySelector("canvas");
    var clear = pad.querySelector("[data-signature-clear]");
    var status = pad.querySelector("[data-signature-status]");
    var input = form.querySelector("input[name=signature]");
    var ctx = canvas.getContext("2d");
    var drawing = false;
    var dirty = false;
    var last = null;

    function paper() {
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.restore();
    }

    function size() {
      // Keep the image small: at most twice the CSS size (the server refuses > 300 KB).
      var ratio = Math.min(window.devicePixelRatio || 1, 2);
      var rect = canvas.getBoundingClientRect();
      var previous = dirty ? canvas.toDataURL("image/png") : null;
      canvas.width = Math.max(1, Math.round(rect.width * ratio));
      canvas.height = Math.max(1, Math.round(rect.height * ratio));
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.lineWidth = 2.5;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.strokeStyle = "#111";
      paper();
      if (previous) restore(previous);
    }

    function restore(dataUrl) {
      var img = new Image();
      img.onload = function () {
        var rect = canvas.getBoundingClientRect();
        ctx.drawImage(img, 0, 0, rect.width, rect.height);
        dirty = true;
        say(pad.dataset.signedText || "");
      };
      img.src = dataUrl;
    }

    function say(message) {
      if (status) status.textContent = message;
    }

    function point(event) {
      var rect = canvas.getBoundingClientRect();
      return { x: event.clientX - rect.left, y: event.clientY - rect.top };
    }

    function line(from, to) {
      ctx.beginPath();
      ctx.moveTo(from.x, from.y);
      ctx.lineTo(to.x, to.y);
      ctx.stroke();
    }

    function reset() {
      paper();
      dirty = false;
      input.value = "";
      say("");
    }

    canvas.addEventListener("pointerdown", function (event) {
      if (event.button !== undefined && event.button > 0) return;
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      drawing = true;
      last = point(event);
      line(last, { x: last.x + 0.1, y: last.y + 0.1 });
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) return;
      event.preventDefault();
      var events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
      if (!events.length) events = [event];
      events.forEach(function (e) {
        var p = point(e);
        line(last, p);
        last = p;
      });
      dirty = true;
    });
    function stop() {
      if (drawing && dirty) say(pad.dataset.signedText || "");
      drawing = false;
      last = null;
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
      input.value = dirty ? canvas.toDataURL("image/png") : "";
    });
    window.addEventListener("resize", size);

    pad.hidden = false;
    size();
    if (input.value.indexOf("data:image/png;base64,") === 0) restore(input.value);
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-signature]"), setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
