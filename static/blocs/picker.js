// Pickers of many people (the bloc-year's secretaries): a filter box over the checkboxes and a scroll
// box; chosen people always stay in sight (the server already lists them first).
// Without JavaScript the filter box stays hidden and the list is a plain list of checkboxes.
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  document.querySelectorAll("[data-picker-filter]").forEach(function (input) {
    var wrapper = document.getElementById(input.getAttribute("data-picker-filter"));
    if (!wrapper) return;
    var items = Array.prototype.slice.call(wrapper.querySelectorAll(".form-check"));
    if (!items.length) return;
    var list = items[0].parentElement;
    list.style.maxHeight = "16rem";
    list.style.overflowY = "auto";
    list.classList.add("border", "rounded", "p-2");
    list.before(input);
    input.hidden = false;
    function update() {
      var wanted = fold(input.value.trim());
      items.forEach(function (item) {
        var box = item.querySelector("input");
        var shown = !wanted || (box && box.checked) || fold(item.textContent).indexOf(wanted) !== -1;
        item.hidden = !shown;
      });
    }
    input.addEventListener("input", update);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault(); // Enter filters, it does not send the form
    });
  });
})();
