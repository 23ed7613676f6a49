/* The self-score sheet: keeps the running total up to date while points are typed (the server
   computes the same total on save; this only saves a round trip). No inline script (CSP 'self'). */
(function () {
  "use strict";
  var form = document.getElementById("sheet-form");
  if (!form) { return; }
  function number(text) {
    var value = parseFloat(String(text || "").replace(/\s/g, "").replace(",", "."));
    return isFinite(value) ? value : 0;
  }
  function cap(name) {
    var value = form.getAttribute("data-" + name);
    return value ? number(value) : Infinity;
  }
  function shown(value) {
    return (Math.round(value * 100) / 100).toString().replace(".", ",");
  }
  function sum(kind) {
    var total = 0;
    form.querySelectorAll('td[data-kind="' + kind + '"] input').forEach(function (input) {
      var row = input.closest("tr");
      var remove = row && row.querySelector('input[type="checkbox"][name$="-remove"]');
      if (!remove || !remove.checked) { total += number(input.value); }
    });
    return total;
  }
  function update() {
    var criteria = sum("criterion");
    var bonus = Math.min(sum("bonus"), cap("bonus-cap"));
    var penalty = Math.min(sum("penalty"), cap("penalty-cap"));
    var values = {criteria: criteria, bonus: bonus, penalty: penalty, total: criteria + bonus - penalty};
    Object.keys(values).forEach(function (key) {
      var target = form.querySelector('[data-total="' + key + '"]');
      if (target) { target.textContent = shown(values[key]); }
    });
    // The criteria still without points: the warning follows what is typed (hidden at none).
    var missing = form.querySelector('[data-total="missing"]');
    if (missing) {
      var count = 0;
      form.querySelectorAll('td[data-kind="criterion"] input').forEach(function (input) {
        if (!input.value.trim()) { count += 1; }
      });
      missing.textContent = missing.textContent.replace(/\d+/, String(count));
      missing.hidden = count === 0;
    }
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
})();
