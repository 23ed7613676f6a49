// Sign form: show the head of agency's name and title only when signing "KT." or "TL." on their behalf,
// and after a refused signature put the focus on the first error (not on the page's <body>).
// Without JavaScript every field simply stays visible.
(function () {
  "use strict";
  var form = document.getElementById("sign-form");
  var capacity = document.getElementById("id_capacity");
  if (capacity) {
    var wrappers = ["id_original_name", "id_original_title"]
      .map(function (id) { var el = document.getElementById(id); return el && el.closest(".col-md-4"); })
      .filter(Boolean);
    var update = function () {
      var onBehalf = capacity.value !== "self";
      wrappers.forEach(function (w) { w.classList.toggle("d-none", !onBehalf); });
    };
    capacity.addEventListener("change", update);
    update();
  }
  // The first error in the page's order: a refused field, or the form's own message (e.g. the text changed).
  var error = form && form.querySelector(".is-invalid, .alert-danger");
  if (error) {
    if (!error.matches("input, select, textarea, button")) error.setAttribute("tabindex", "-1");
    error.focus();
  }
})();
