/* The document page: the live deadline preview of each task row, adding and removing rows
   ("+ Thêm nhiệm vụ" copies the page's empty row, kept in a <template>). */
(function () {
  const rows = document.getElementById('task-rows');
  const issued = document.getElementById('issued_on');
  const form = document.getElementById('document-form');
  const previewUrl = form.dataset.previewUrl;
  function refresh(row) {
    const kind = row.querySelector('.deadline-kind').value;
    const date = row.querySelector('.deadline-date');
    const days = row.querySelector('.deadline-days');
    date.disabled = kind !== 'date';
    days.disabled = kind !== 'working_days';
    const out = row.querySelector('.deadline-preview');
    const params = new URLSearchParams({issued_on: issued.value, kind: kind, on: date.value, days: days.value});
    if (!issued.value || (kind === 'date' && !date.value) || (kind === 'working_days' && !days.value)) { out.textContent = '—'; return; }
    fetch(previewUrl + '?' + params).then(r => r.json()).then(j => { out.textContent = j.text || j.error || '—'; });
  }
  const seriesUrl = form.dataset.seriesUrl;
  let typing = null;
  function recurrence(row) {
    const field = row.querySelector('.recurrence');
    const out = row.querySelector('.recurrence-preview');
    if (!field || !out || !field.value.trim()) return;
    const params = new URLSearchParams({phrase: field.value, from: issued.value});
    fetch(seriesUrl + '?' + params).then(r => r.json()).then(j => { out.textContent = j.error || (j.rule + ' · ' + j.text); });
  }
  // The structured choice writes the phrase, which can also be typed (the server reads it).
  function compose(row) {
    const kind = row.querySelector('.recurrence-kind');
    const field = row.querySelector('.recurrence');
    if (!kind || !field) return;
    row.querySelectorAll('.recurrence-part').forEach(el => { el.hidden = !el.dataset.for.split(' ').includes(kind.value); });
    const day = (row.querySelector('.recurrence-day') || {}).value || '';
    const dates = (row.querySelector('.recurrence-dates') || {}).value || '';
    const phrases = {
      weekly: () => 'hằng tuần vào ' + row.querySelector('.recurrence-weekday').value,
      monthly: () => 'hằng tháng, trước ngày ' + day,
      quarterly: () => 'hằng quý, trước ngày ' + day + ' của ' + row.querySelector('.recurrence-quarter-month').value,
      half: () => '6 tháng, trước ngày ' + dates,
      yearly: () => 'hằng năm trước ngày ' + dates,
      workdays: () => day + ' ngày làm việc đầu mỗi tháng'
    };
    if (phrases[kind.value]) { field.value = phrases[kind.value](); recurrence(row); }
  }
  function wire(row) {
    row.querySelectorAll('.deadline-kind, .deadline-date, .deadline-days').forEach(el => el.addEventListener('change', () => refresh(row)));
    row.querySelectorAll('.recurrence-kind, .recurrence-weekday, .recurrence-day, .recurrence-quarter-month, .recurrence-dates').forEach(el => el.addEventListener('input', () => compose(row)));
    row.querySelectorAll('.recurrence-part').forEach(el => { el.hidden = true; });
    const field = row.querySelector('.recurrence');
    if (field) field.addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(() => recurrence(row), 400); });
    refresh(row);
    recurrence(row);
  }
  rows.querySelectorAll('.task-row').forEach(wire);
  issued.addEventListener('change', () => rows.querySelectorAll('.task-row').forEach(refresh));
  function nextIndex() {
    let most = -1;
    rows.querySelectorAll('[name$="-content"]').forEach(el => {
      const m = el.name.match(/^tasks-(\d+)-/);
      if (m) most = Math.max(most, parseInt(m[1], 10));
    });
    return most + 1;
  }
  function blank(row) {
    row.querySelectorAll('input, textarea').forEach(el => { if (el.type !== 'hidden' || el.name.endsWith('task_id')) el.value = ''; });
    row.querySelectorAll('select').forEach(el => {
      if (el.tomselect) { el.tomselect.clear(); return; }
      Array.from(el.options).forEach(o => o.selected = false); el.selectedIndex = el.multiple ? -1 : 0;
    });
  }
  rows.addEventListener('click', event => {
    const button = event.target.closest('.remove-task');
    if (!button) return;
    const row = button.closest('.task-row');
    if (rows.querySelectorAll('.task-row').length > 1) row.remove(); else { blank(row); refresh(row); }
  });
  function addRow() {
    // The page's empty row (its template), else a copy of the last row.
    const spare = document.getElementById('task-row-template');
    const all = rows.querySelectorAll('.task-row');
    const next = nextIndex();
    const clone = spare ? spare.content.querySelector('.task-row').cloneNode(true) : all[all.length - 1].cloneNode(true);
    window.trackerWidgets.resetCopy(clone);
    clone.querySelectorAll('[name], [id], label[for]').forEach(el => {
      ['name', 'id', 'for'].forEach(attr => {
        const v = el.getAttribute(attr);
        if (v) el.setAttribute(attr, v.replace(/tasks-\d+-/, 'tasks-' + next + '-'));
      });
    });
    blank(clone);
    clone.querySelectorAll('.invalid-feedback, .text-danger:not(.remove-task), a.small').forEach(el => el.remove());
    clone.querySelectorAll('[aria-invalid]').forEach(el => { el.removeAttribute('aria-invalid'); el.removeAttribute('aria-describedby'); });
    if (!clone.querySelector('.remove-task')) {
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'btn btn-link btn-sm text-danger p-0 remove-task';
      remove.textContent = form.dataset.removeLabel;
      clone.querySelector('textarea').after(remove);
    }
    rows.appendChild(clone);
    window.trackerWidgets(clone);
    wire(clone);
    clone.querySelector('textarea').focus();
    return clone;
  }
  document.getElementById('add-task').addEventListener('click', addRow);
  // "Thêm thành nhiệm vụ": a sentence the reader left becomes a row filled from it.
  document.querySelectorAll('.add-from-sentence').forEach(button => button.addEventListener('click', () => {
    const row = addRow();
    row.querySelector('textarea').value = button.dataset.content;
    const lead = row.querySelector('select[name$="-lead"]');
    if (lead && button.dataset.lead) { if (lead.tomselect) lead.tomselect.setValue(button.dataset.lead); else lead.value = button.dataset.lead; }
    const date = row.querySelector('.deadline-date');
    if (date && button.dataset.deadline) { date.value = button.dataset.deadline; refresh(row); }
    button.disabled = true;
  }));
})();
