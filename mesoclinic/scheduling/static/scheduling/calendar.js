// The calendar: drag an appointment to a free time to move it; or press its "Move" button
// (keyboard, touch) and then choose a free time. Both fill the hidden move form and send it:
// the server checks the move with the same rules as the appointment page (nothing inline,
// for the strict CSP).
(function () {
  "use strict";
  var grid = document.querySelector("[data-calendar]");
  var form = document.getElementById("move-form");
  if (!grid || !form) return;
  var status = document.getElementById("move-status");
  var moving = null;
  var TYPE = "application/x-mesoclinic-appointment";

  function send(code, slot) {
    form.elements.appointment.value = code;
    form.elements.date.value = slot.dataset.date;
    form.elements.time.value = slot.dataset.time;
    form.elements.practitioner.value = slot.dataset.practitioner || "";
    form.elements.room.value = slot.dataset.room || "";
    form.submit();
  }

  function stop() {
    if (!moving) return;
    moving.button.setAttribute("aria-pressed", "false");
    moving.block.classList.remove("selected");
    grid.classList.remove("moving");
    var button = moving.button;
    moving = null;
    status.textContent = "";
    button.focus();
  }

  grid.addEventListener("dragstart", function (e) {
    var block = e.target.closest && e.target.closest(".appt[draggable='true']");
    if (!block) return;
    e.dataTransfer.setData(TYPE, block.dataset.code);
    e.dataTransfer.effectAllowed = "move";
    block.classList.add("dragging");
    // let the drop land on the free times under the other appointments' blocks
    window.setTimeout(function () { grid.classList.add("dragging"); }, 0);
  });
  grid.addEventListener("dragend", function (e) {
    grid.classList.remove("dragging");
    var block = e.target.closest && e.target.closest(".appt");
    if (block) block.classList.remove("dragging");
    grid.querySelectorAll(".slot.drop").forEach(function (s) { s.classList.remove("drop"); });
  });
  grid.addEventListener("dragover", function (e) {
    var slot = e.target.closest && e.target.closest(".slot[data-date]");
    if (!slot || e.dataTransfer.types.indexOf(TYPE) < 0) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "move";
  });
  grid.addEventListener("dragenter", function (e) {
    var slot = e.target.closest && e.target.closest(".slot[data-date]");
    if (slot) slot.classList.add("drop");
  });
  grid.addEventListener("dragleave", function (e) {
    var slot = e.target.closest && e.target.closest(".slot[data-date]");
    if (slot) slot.classList.remove("drop");
  });
  grid.addEventListener("drop", function (e) {
    var slot = e.target.closest && e.target.closest(".slot[data-date]");
    if (!slot) return;
    e.preventDefault();
    var code = e.dataTransfer.getData(TYPE);
    if (code) send(code, slot);
  });

  grid.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("button[data-move]");
    if (button) {
      var again = moving && moving.button === button;
      stop();
      if (again) return;
      moving = { code: button.dataset.move, button: button, block: button.closest(".appt") };
      button.setAttribute("aria-pressed", "true");
      moving.block.classList.add("selected");
      grid.classList.add("moving");
      status.textContent = status.dataset.prompt.replace("%(name)s", button.dataset.name);
      return;
    }
    var slot = e.target.closest && e.target.closest("a.slot[data-date]");
    if (slot && moving) {
      e.preventDefault();
      send(moving.code, slot);
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") stop();
  });
})();
