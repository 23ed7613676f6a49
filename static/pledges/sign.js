// Sign form: show the head of agency's name and title only when signing "KT." or "TL." on their behalf.
// Without JavaScript every field simply stays visible.
(function () {
  "use strict";
  var capacity = document.getElementById("id_capacity");
  if (!capacity) return;
  var wrappers = ["id_original_name", "id_original_title"]
    .map(function (id) { var el = document.getElementById(id); return el && el.closest(".col-md-4"); })
    .filter(Boolean);
  function update() {
    var onBehalf = capacity.value !== "self";
    wrappers.forEach(function (w) { w.classList.toggle("d-none", !onBehalf); });
  }
  capacity.addEventListener("change", update);
  update();
})();
