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
