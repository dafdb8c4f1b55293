/* The dashboard's charts: data and labels come from JSON blocks in the page (no inline script).
   The 12-month trend is loaded after the page (it reads a year of history) and drawn when it
   arrives; its table stays in the page for screen readers and for copying. */
(function () {
  'use strict';
  function json(id) {
    var source = document.getElementById(id);
    return source ? JSON.parse(source.textContent) : null;
  }

  function drawFigures() {
    var data = json('chart-data');
    var canvas = document.getElementById('chart');
    if (!data || !canvas || !window.Chart) return;
    new window.Chart(canvas, {
      type: 'bar',
      data: {labels: data.labels, datasets: [
        {label: data.names.late, data: data.late, backgroundColor: '#b91c1c'},
        {label: data.names.pending, data: data.pending, backgroundColor: '#d97706'}]},
      options: {indexAxis: 'y', responsive: true, animation: false,
                scales: {x: {stacked: true, ticks: {precision: 0}}, y: {stacked: true}}}
    });
  }

  function drawTrend() {
    var data = json('trend-data');
    var canvas = document.getElementById('trend-chart');
    if (!data || !canvas || !window.Chart) return;
    new window.Chart(canvas, {
      type: 'line',
      data: {labels: data.labels, datasets: [
        {label: data.names.late, data: data.late, borderColor: '#b91c1c', backgroundColor: '#b91c1c'},
        {label: data.names.pending, data: data.pending, borderColor: '#d97706', backgroundColor: '#d97706'}]},
      options: {responsive: true, aspectRatio: 2.2, animation: false,
                scales: {y: {beginAtZero: true, ticks: {precision: 0}}}}
    });
  }

  drawFigures();
  var section = document.getElementById('trend');
  var source = section && section.getAttribute('data-trend-src');
  if (source && window.fetch) {
    window.fetch(source, {credentials: 'same-origin'})
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) { section.innerHTML = html; drawTrend(); })
      .catch(function () { /* the link to the trend page stays */ })
      .then(function () { section.setAttribute('aria-busy', 'false'); });
  } else {
    drawTrend();
  }
})();
