// Minutes form: show "x/y đơn vị" as attendance boxes are ticked (the page works without it).
(function () {
  "use strict";
  var out = document.getElementById("attendance-live");
  if (!out) { return; }
  var boxes = document.querySelectorAll(".attendance-present");
  function update() {
    var present = 0;
    boxes.forEach(function (box) { if (box.checked) { present += 1; } });
    out.textContent = "(" + present + "/" + boxes.length + " " + out.dataset.suffix + ")";
    out.classList.toggle("text-danger", present * 3 < boxes.length * 2);
  }
  boxes.forEach(function (box) { box.addEventListener("change", update); });
  update();
})();

// "Add a row" buttons for the guest and decision formsets: copy the last row with the next index.
(function () {
  "use strict";
  document.querySelectorAll(".js-add-row").forEach(function (button) {
    var container = document.getElementById(button.dataset.target);
    if (!container) { return; }
    var prefix = container.dataset.formset;
    var total = document.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    if (!total) { return; }
    button.classList.remove("d-none");
    document.querySelectorAll(".js-no-add").forEach(function (hint) { hint.classList.add("d-none"); });
    button.addEventListener("click", function () {
      var rows = container.children;
      var last = rows[rows.length - 1];
      if (!last) { return; }
      var index = parseInt(total.value, 10);
      var copy = last.cloneNode(true);
      var pattern = new RegExp(prefix + "-\\d+-", "g");
      copy.querySelectorAll("input, textarea").forEach(function (field) {
        field.name = field.name.replace(pattern, prefix + "-" + index + "-");
        if (field.id) { field.id = field.id.replace(pattern, prefix + "-" + index + "-"); }
        if (field.type === "checkbox") { field.checked = false; } else { field.value = ""; }
        if (field.hasAttribute("aria-label")) {
          field.setAttribute("aria-label", field.getAttribute("aria-label").replace(/\d+$/, String(index + 1)));
        }
      });
      container.appendChild(copy);
      total.value = String(index + 1);
      var first = copy.querySelector("input[type=text], textarea");
      if (first) { first.focus(); }
    });
  });
})();
