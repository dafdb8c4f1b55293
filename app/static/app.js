/* Widgets every form page shares, served locally (no CDN):
   - dates typed or picked as dd/mm/yyyy whatever the browser's language (flatpickr);
   - units chosen as chips that show what is chosen and work by touch (Tom Select);
   - Enter inside a date field never submits the form. */
(function () {
  'use strict';
  function initDate(input) {
    if (input._flatpickr || !window.flatpickr) return;
    window.flatpickr(input, {
      dateFormat: 'd/m/Y',
      allowInput: true,
      disableMobile: true,
      locale: (window.flatpickr.l10ns && window.flatpickr.l10ns.vn) || 'default'
    });
  }
  /* "Phòng Quản lý đô thị" is found by "quan ly do thi": marks dropped, đ as d. */
  function fold(text) {
    return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '')
      .replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
  }
  function initChips(select) {
    if (select.tomselect || !window.TomSelect) return;
    var chips = new window.TomSelect(select, {
      plugins: ['remove_button'],
      placeholder: select.dataset.placeholder || '',
      hidePlaceholder: true,
      maxOptions: null,
      searchField: ['text', 'folded']
    });
    Object.keys(chips.options).forEach(function (value) {
      chips.options[value].folded = fold(chips.options[value].text || '');
    });
    /* Tom Select moves the <label> to its own text box: the hidden select keeps a name. */
    var label = chips.control_input.labels && chips.control_input.labels[0];
    if (label) select.setAttribute('aria-label', label.textContent.trim());
  }
  /* A copy of a row whose widgets were set up: back to plain inputs and selects. */
  function resetCopy(root) {
    root.querySelectorAll('.ts-wrapper').forEach(function (el) { el.remove(); });
    root.querySelectorAll('select.tomselected').forEach(function (el) {
      el.classList.remove('tomselected', 'ts-hidden-accessible');
      el.removeAttribute('tabindex');
      el.removeAttribute('hidden');
    });
    root.querySelectorAll('input.flatpickr-input').forEach(function (el) {
      el.classList.remove('flatpickr-input');
      el.removeAttribute('readonly');
    });
  }
  window.trackerWidgets = function (root) {
    root = root || document;
    root.querySelectorAll('input[data-date]').forEach(initDate);
    root.querySelectorAll('select[data-chips]').forEach(initChips);
  };
  window.trackerWidgets.resetCopy = resetCopy;
  document.addEventListener('keydown', function (event) {
    var target = event.target;
    if (event.key === 'Enter' && target.matches && target.matches('input[data-date]')) {
      event.preventDefault();
      if (target._flatpickr) target._flatpickr.close();
    }
  });
  /* Forms: the server checks every field and answers in Vietnamese, so the browser's own
     bubbles ("Please fill out this field.", in the browser's language) are turned off; the
     summary of a refused form takes the focus, and its links reach the field even when it is
     a chip box or sits in a closed <details>. */
  function initForms(root) {
    root.querySelectorAll('form').forEach(function (form) { form.noValidate = true; });
    var summary = root.getElementById && root.getElementById('error-summary');
    if (summary) {
      summary.focus();
      summary.addEventListener('click', function (event) {
        var link = event.target.closest('a[href^="#"]');
        if (!link) return;
        var field = document.getElementById(link.getAttribute('href').slice(1));
        if (!field) return;
        event.preventDefault();
        var box = field.closest('details');
        if (box) box.open = true;
        if (field.tomselect) field.tomselect.focus(); else field.focus();
        (field.tomselect ? field.tomselect.wrapper : field).scrollIntoView({block: 'center'});
      });
    }
  }
  function start() {
    window.trackerWidgets(document);
    initForms(document);
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
