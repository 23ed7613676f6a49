// The score table's bar chart of totals (Chart.js, vendored). The data comes from the page's
// json_script block; without JavaScript the table itself is the chart.
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  var box = document.getElementById("chart-box");
  var canvas = document.getElementById("totals-chart");
  if (!source || !box || !canvas || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  if (!data.labels || !data.labels.length) {
    return;
  }
  box.hidden = false;
  box.style.height = Math.max(180, 30 * data.labels.length + 70) + "px";
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: box.dataset.totalLabel || "Tổng điểm", data: data.totals, backgroundColor: "#b02a37" },
        { label: box.dataset.selfLabel || "Tự chấm", data: data.self_totals, backgroundColor: "#adb5bd" }
      ]
    },
    options: {
      indexAxis: "y",
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: { x: { beginAtZero: true } },
      plugins: { legend: { position: "bottom" } }
    }
  });
}());
