/* The dashboard's chart: data and labels come from the page's JSON block (no inline script). */
(function () {
  'use strict';
  var source = document.getElementById('chart-data');
  var canvas = document.getElementById('chart');
  if (!source || !canvas || !window.Chart) return;
  var data = JSON.parse(source.textContent);
  new window.Chart(canvas, {
    type: 'bar',
    data: {labels: data.labels, datasets: [
      {label: data.names.late, data: data.late, backgroundColor: '#b91c1c'},
      {label: data.names.pending, data: data.pending, backgroundColor: '#d97706'}]},
    options: {indexAxis: 'y', responsive: true, animation: false,
              scales: {x: {stacked: true, ticks: {precision: 0}}, y: {stacked: true}}}
  });
})();
