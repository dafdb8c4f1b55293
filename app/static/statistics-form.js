/* The statistics form: only the chosen period's fields are shown (month, quarter, half, year
   or from/to). The others are hidden and disabled, so they are neither required nor sent.
   Without this script every field stays visible and the server reads the chosen period's. */
(function () {
  'use strict';
  function start() {
    var period = document.getElementById('period');
    var form = document.getElementById('stats-form');
    if (!period || !form) return;
    function apply() {
      form.querySelectorAll('[data-periods]').forEach(function (box) {
        var shown = box.dataset.periods.split(' ').indexOf(period.value) !== -1;
        box.hidden = !shown;
        box.querySelectorAll('input, select').forEach(function (control) {
          control.disabled = !shown;
          control.required = shown;
        });
      });
    }
    period.addEventListener('change', apply);
    window.addEventListener('pageshow', apply);  /* back to the page: the restored choice */
    apply();
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
