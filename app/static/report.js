/* The report page's copy buttons: each copies the text of its element (data-copy, by id). */
(function () {
  'use strict';
  var buttons = document.querySelectorAll('#copy-section, [data-copy]');
  Array.prototype.forEach.call(buttons, function (button) {
    button.addEventListener('click', function () {
      var section = document.getElementById(button.dataset.copy || 'section');
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
  });
})();
