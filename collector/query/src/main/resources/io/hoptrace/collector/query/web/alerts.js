import { api, el, localTime, showError, initHeader } from '/static/common.js';

// The alerts page: GET /api/alerts, refreshed every 10 seconds.

const errorBox = document.getElementById('error');

function badge(state) {
  return el('span', { class: 'badge ' + state }, state);
}

function value(v) {
  return v === null || v === undefined ? 'no data' : Number.isInteger(v) ? String(v) : v.toPrecision(4);
}

function labels(obj) {
  return Object.entries(obj || {}).map(([k, v]) => el('span', { class: 'kind' }, k + '=' + v)).flatMap((x) => [x, ' ']);
}

function human(iso) {
  // ISO-8601 durations from the API (PT30S) read better as 30s
  return (iso || '').replace(/^PT/, '').toLowerCase() || '0s';
}

async function load() {
  try {
    const a = await api('/api/alerts');
    errorBox.hidden = true;
    document.getElementById('alerts-summary').textContent = a.rules.length + ' rules, ' + a.firing + ' firing.';
    document.getElementById('active').replaceChildren(a.active.length === 0
      ? el('p', { class: 'muted' }, 'Nothing is firing.')
      : el('ul', { id: 'active-list' }, ...a.active.map((r) => el('li', { 'data-rule': r.name },
        badge('firing'), ' ', el('strong', {}, r.name), ': value ', value(r.value), ' ', r.condition,
        ' since ', localTime(r.since), r.description ? el('div', { class: 'muted' }, r.description) : null))));
    document.querySelector('#rules tbody').replaceChildren(...a.rules.map((r) => el('tr', { 'data-rule': r.name, 'data-state': r.state },
      el('td', {}, el('strong', {}, r.name), r.description ? el('div', { class: 'muted' }, r.description) : null,
        el('details', {}, el('summary', {}, 'SQL'), el('pre', { class: 'mono' }, r.sql)),
        r.error ? el('div', { class: 'error-box' }, 'Last evaluation failed: ' + r.error) : null),
      el('td', {}, badge(r.state)),
      el('td', { class: 'num' }, value(r.value)),
      el('td', { class: 'mono' }, r.condition),
      el('td', {}, 'for ' + human(r.for) + ', every ' + human(r.interval)),
      el('td', {}, r.since ? localTime(r.since) : '–', r.lastEvaluation ? el('div', { class: 'muted' }, 'checked ' + localTime(r.lastEvaluation)) : null),
      el('td', {}, ...labels(r.labels)))));
  } catch (e) {
    showError(errorBox, e);
  }
}

initHeader();
load();
setInterval(load, 10000);
