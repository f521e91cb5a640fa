import { api, el, duration, localTime, serviceBadge, showError, clearError, initHeader } from '/static/common.js';

// The search page: the form mirrors the URL (shareable, back button works); results come from
// GET /api/traces with exactly the same parameters.

const form = document.getElementById('search');
const errorBox = document.getElementById('error');
const tbody = document.querySelector('#traces tbody');
const title = document.getElementById('results-title');
const pageInfo = document.getElementById('page-info');
const prev = document.getElementById('prev');
const next = document.getElementById('next');
const serviceSelect = document.getElementById('service');
const lookback = document.getElementById('lookback');
const custom = document.getElementById('custom-range');
const FIELDS = ['service', 'operation', 'status', 'minDuration', 'maxDuration', 'attr', 'limit'];

function toLocalInput(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n) => String(n).padStart(2, '0');
  return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T' + p(d.getHours()) + ':' + p(d.getMinutes()) + ':' + p(d.getSeconds());
}

function showCustom(on) {
  custom.hidden = !on;
  custom.disabled = !on;
}

/** The API query for the form's current values (offset given separately). */
function queryFromForm(offset) {
  const q = new URLSearchParams();
  for (const name of FIELDS) {
    const v = form.elements[name].value.trim();
    if (v && !(name === 'limit' && v === '20')) q.set(name, v);
  }
  if (lookback.value === 'custom') {
    const from = form.elements.from.value;
    const to = form.elements.to.value;
    if (from) q.set('from', new Date(from).toISOString());
    if (to) q.set('to', new Date(to).toISOString());
  } else {
    q.set('lookback', lookback.value);
  }
  if (offset > 0) q.set('offset', String(offset));
  return q;
}

async function loadServices() {
  const range = lookback.value === 'custom' ? '7d' : (['24h', '2d', '7d'].includes(lookback.value) ? lookback.value : '24h');
  try {
    const { services } = await api('/api/services?lookback=' + range);
    const current = serviceSelect.value || new URLSearchParams(location.search).get('service') || '';
    serviceSelect.replaceChildren(el('option', { value: '' }, 'any service'),
      ...services.map((s) => el('option', { value: s.name }, s.name)));
    if (current && !services.some((s) => s.name === current)) serviceSelect.append(el('option', { value: current }, current));
    serviceSelect.value = current;
  } catch (e) {
    showError(errorBox, e);
  }
}

/** Suggestions for the operation field: the chosen service's operations (any text is allowed). */
async function loadOperations() {
  const list = document.getElementById('operations');
  const service = serviceSelect.value;
  if (!service) {
    list.replaceChildren();
    return;
  }
  try {
    const { operations } = await api('/api/operations?lookback=7d&service=' + encodeURIComponent(service));
    list.replaceChildren(...[...new Set(operations.map((o) => o.name))].map((n) => el('option', { value: n })));
  } catch (e) {
    showError(errorBox, e);
  }
}

function row(t, longest) {
  const link = el('a', { href: '/trace/' + t.traceId, class: 'trace-link' }, t.rootService + ': ' + t.rootOperation);
  const bar = el('div', { class: 'durbar', 'aria-hidden': 'true' });
  bar.style.width = Math.max(1, Math.round((t.durationNs / longest) * 100)) + '%';
  return el('tr', { class: t.error ? 'has-error' : '', 'data-trace-id': t.traceId },
    el('td', {}, el('time', { datetime: t.start }, localTime(t.start))),
    el('td', {}, link, el('span', { class: 'traceid mono' }, t.traceId)),
    el('td', {}, ...t.services.map((s) => [serviceBadge(s), ' '])),
    el('td', { class: 'num' }, String(t.spanCount)),
    el('td', { class: 'num' }, duration(t.durationNs), bar),
    el('td', {}, t.error
      ? el('span', { class: 'badge error' }, '✖ error' + (t.errorCount > 1 ? ' (' + t.errorCount + ' spans)' : ''))
      : el('span', { class: 'badge ok' }, 'ok')));
}

async function run(offset, push) {
  clearError(errorBox);
  const q = queryFromForm(offset);
  if (push) history.pushState(null, '', '/?' + q.toString());
  const apiUrl = '/api/traces?' + q.toString();
  document.getElementById('json-link').href = apiUrl;
  const results = document.getElementById('results');
  results.setAttribute('aria-busy', 'true');
  try {
    const r = await api(apiUrl);
    const longest = Math.max(1, ...r.traces.map((t) => t.durationNs));
    tbody.replaceChildren(...r.traces.map((t) => row(t, longest)));
    if (r.traces.length === 0) {
      tbody.replaceChildren(el('tr', {}, el('td', { colspan: 6, class: 'muted' },
        'No traces match in ' + localTime(r.from) + ' – ' + localTime(r.to) + '. Widen the time range or remove a filter.')));
    }
    const total = r.total;
    title.textContent = total < 0 ? 'Traces' : total + (total === 1 ? ' trace' : ' traces');
    const first = r.traces.length ? r.offset + 1 : 0;
    pageInfo.textContent = r.traces.length ? 'showing ' + first + '–' + (r.offset + r.traces.length) + (total >= 0 ? ' of ' + total : '') : '';
    prev.disabled = r.offset === 0;
    next.disabled = total < 0 || r.offset + r.traces.length >= total;
    prev.onclick = () => run(Math.max(0, r.offset - r.limit), true);
    next.onclick = () => run(r.offset + r.limit, true);
  } catch (e) {
    tbody.replaceChildren();
    title.textContent = 'Traces';
    pageInfo.textContent = '';
    showError(errorBox, e);
    if (e.parameter && form.elements[e.parameter]) {
      form.elements[e.parameter].setAttribute('aria-invalid', 'true');
    }
  } finally {
    results.setAttribute('aria-busy', 'false');
  }
}

function formFromUrl() {
  const q = new URLSearchParams(location.search);
  for (const name of FIELDS) {
    if (name !== 'service') form.elements[name].value = q.get(name) || (name === 'limit' ? '20' : '');
  }
  if (q.get('from')) {
    lookback.value = 'custom';
    form.elements.from.value = toLocalInput(q.get('from'));
    form.elements.to.value = q.get('to') ? toLocalInput(q.get('to')) : '';
  } else {
    lookback.value = q.get('lookback') || '1h';
  }
  showCustom(lookback.value === 'custom');
  return Number(q.get('offset') || 0);
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  run(0, true);
});
form.addEventListener('reset', () => {
  setTimeout(() => { showCustom(false); history.pushState(null, '', '/'); loadOperations(); run(0, false); }, 0);
});
lookback.addEventListener('change', () => {
  showCustom(lookback.value === 'custom');
  if (lookback.value === 'custom' && !form.elements.from.value) {
    form.elements.from.value = toLocalInput(new Date(Date.now() - 3600e3).toISOString());
    form.elements.to.value = toLocalInput(new Date().toISOString());
  }
});
serviceSelect.addEventListener('change', () => { loadOperations(); });
window.addEventListener('popstate', () => { const offset = formFromUrl(); loadOperations(); run(offset, false); });

initHeader();
const startOffset = formFromUrl();
loadServices().then(loadOperations).then(() => run(startOffset, false));
