/* The report page's copy button. */
(function () {
  'use strict';
  var button = document.getElementById('copy-section');
  if (!button) return;
  button.addEventListener('click', function () {
    var section = document.getElementById('section');
    var done = function () { button.textContent = button.dataset.done; };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(section.textContent).then(done, fallback);
    } else {
      fallback();
    }
    function fallback() {
      var range = document.createRange();
      range.selectNodeContents(section);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      document.execCommand('copy');
      done();
    }
  });
})();
