import { api, el, duration, localTime, serviceBadge, showError, initHeader } from '/static/common.js';

// The trace page: GET /api/traces/{traceId}, drawn as a collapsible waterfall (an ARIA tree with
// nested groups, so the DOM nesting is the span nesting), Kafka hops on the consumer spans, span
// details beside it, and the trace's log lines below.

const traceId = decodeURIComponent(location.pathname.split('/')[2] || '');
const errorBox = document.getElementById('error');
const tree = document.getElementById('tree');
const details = document.getElementById('details');
let trace = null;
const items = new Map(); // spanId -> li
const spansById = new Map();
const hopByConsumer = new Map();

function pct(ns) {
  return trace.durationNs > 0 ? (ns / trace.durationNs) * 100 : 0;
}

function ticks() {
  const box = document.getElementById('ticks');
  box.replaceChildren(...[0, 0.25, 0.5, 0.75, 1].map((f) => {
    const s = el('span', {}, duration(Math.round(trace.durationNs * f)));
    s.style.left = f * 100 + '%';
    return s;
  }));
}

function hopLine(hop) {
  const from = hop.waitMeasuredFrom === 'producer end'
    ? 'consumer start − producer end (the publish was acknowledged)'
    : 'consumer start − producer start (the consumer began before the acknowledgement arrived)';
  return el('div', { class: 'hop', 'data-topic': hop.topic || '', title: 'waited in Kafka = ' + from },
    el('span', { 'aria-hidden': 'true' }, '⇣ '),
    'Kafka ', el('strong', {}, hop.topic || '?'),
    ' · partition ', String(hop.partition ?? '?'), ' · offset ', String(hop.offset ?? '?'),
    ' · waited ', el('strong', {}, duration(hop.waitNs)), ' in Kafka');
}

function spanItem(span, level, posinset, setsize) {
  const hasChildren = span.childCount > 0;
  const error = span.status.code === 'Error';
  const label = el('div', { class: 'wf-label' }, el('div', { class: 'wf-line' },
    el('span', { class: 'toggle', 'aria-hidden': 'true' }, hasChildren ? '▾' : ''),
    serviceBadge(span.service),
    el('span', { class: 'name', title: span.name }, span.name),
    el('span', { class: 'kind' }, span.kind),
    error ? el('span', { class: 'err-mark', title: 'status Error' }, '✖ error') : null,
    span.parentMissing ? el('span', { class: 'kind', title: 'its parent span is not in this trace' }, 'parent missing') : null));
  label.style.paddingLeft = (0.3 + span.depth * 1.1) + 'rem';
  const hop = hopByConsumer.get(span.spanId);
  if (hop) label.append(hopLine(hop));
  const timeline = el('div', { class: 'timeline', 'aria-hidden': 'true' });
  if (hop) {
    const producer = spansById.get(hop.producerSpanId);
    const waitStart = hop.waitMeasuredFrom === 'producer end' ? producer.offsetNs + producer.durationNs : producer.offsetNs;
    const wait = el('div', { class: 'wait' });
    wait.style.left = pct(waitStart) + '%';
    wait.style.width = Math.max(0, pct(span.offsetNs - waitStart)) + '%';
    timeline.append(wait);
  }
  const bar = el('div', { class: 'bar ' + span.kind + (error ? ' error' : '') });
  bar.style.left = pct(span.offsetNs) + '%';
  bar.style.width = pct(span.durationNs) + '%';
  timeline.append(bar);
  const row = el('div', { class: 'wf-row' }, label, timeline,
    el('div', { class: 'wf-dur' }, duration(span.durationNs)));
  const spoken = span.service + ' ' + span.name + ', ' + span.kind + ', starts at ' + duration(span.offsetNs) +
    ', takes ' + duration(span.durationNs) + (error ? ', error' : '') +
    (hop ? ', Kafka hop from ' + hop.topic + ', waited ' + duration(hop.waitNs) : '');
  const li = el('li', {
    role: 'treeitem', 'aria-level': level, 'aria-posinset': posinset, 'aria-setsize': setsize,
    'aria-selected': 'false', 'aria-label': spoken, tabindex: '-1',
    'data-span-id': span.spanId, 'data-service': span.service, 'data-kind': span.kind, 'data-name': span.name,
  }, row);
  if (hasChildren) li.setAttribute('aria-expanded', 'true');
  row.addEventListener('click', (e) => {
    if (hasChildren && e.target.classList.contains('toggle')) toggle(li);
    select(li, true);
  });
  items.set(span.spanId, li);
  return li;
}

/** Spans arrive depth-first with their depth: rebuild the nesting with a stack of open groups. */
function buildTree() {
  const roots = [];
  const stack = []; // [{li, group, depth}]
  const siblingsOf = new Map(); // parent li (or null) -> children count so far
  const byParentCount = new Map();
  for (const s of trace.spans) {
    const key = s.depth === 0 ? '' : s.parentSpanId;
    byParentCount.set(key, (byParentCount.get(key) || 0) + 1);
  }
  for (const s of trace.spans) {
    while (stack.length && stack[stack.length - 1].depth >= s.depth) stack.pop();
    const key = s.depth === 0 ? '' : s.parentSpanId;
    const pos = (siblingsOf.get(key) || 0) + 1;
    siblingsOf.set(key, pos);
    const li = spanItem(s, s.depth + 1, pos, byParentCount.get(key));
    if (stack.length === 0) {
      roots.push(li);
    } else {
      const parent = stack[stack.length - 1];
      if (!parent.group) {
        parent.group = el('ul', { role: 'group' });
        parent.li.append(parent.group);
      }
      parent.group.append(li);
    }
    stack.push({ li, group: null, depth: s.depth });
  }
  tree.replaceChildren(...roots);
}

function visibleItems() {
  return [...tree.querySelectorAll('li[role="treeitem"]')].filter((li) => {
    for (let p = li.parentElement.closest('li[role="treeitem"]'); p; p = p.parentElement.closest('li[role="treeitem"]')) {
      if (p.getAttribute('aria-expanded') === 'false') return false;
    }
    return true;
  });
}

function focusItem(li) {
  for (const other of tree.querySelectorAll('li[tabindex="0"]')) other.setAttribute('tabindex', '-1');
  li.setAttribute('tabindex', '0');
  li.focus();
}

function toggle(li, open) {
  if (!li.hasAttribute('aria-expanded')) return;
  const now = open === undefined ? li.getAttribute('aria-expanded') !== 'true' : open;
  li.setAttribute('aria-expanded', String(now));
  li.querySelector(':scope > .wf-row .toggle').textContent = now ? '▾' : '▸';
}

function select(li, focus) {
  for (const other of tree.querySelectorAll('li[aria-selected="true"]')) other.setAttribute('aria-selected', 'false');
  li.setAttribute('aria-selected', 'true');
  if (focus) focusItem(li);
  showDetails(spansById.get(li.dataset.spanId));
  const url = new URL(location.href);
  url.searchParams.set('span', li.dataset.spanId);
  history.replaceState(null, '', url);
}

tree.addEventListener('keydown', (e) => {
  const li = e.target.closest('li[role="treeitem"]');
  if (!li) return;
  const visible = visibleItems();
  const i = visible.indexOf(li);
  const parent = li.parentElement.closest('li[role="treeitem"]');
  switch (e.key) {
    case 'ArrowDown': if (i < visible.length - 1) focusItem(visible[i + 1]); break;
    case 'ArrowUp': if (i > 0) focusItem(visible[i - 1]); break;
    case 'Home': focusItem(visible[0]); break;
    case 'End': focusItem(visible[visible.length - 1]); break;
    case 'ArrowRight':
      if (li.getAttribute('aria-expanded') === 'false') toggle(li, true);
      else if (li.getAttribute('aria-expanded') === 'true') focusItem(li.querySelector('ul[role="group"] > li'));
      break;
    case 'ArrowLeft':
      if (li.getAttribute('aria-expanded') === 'true') toggle(li, false);
      else if (parent) focusItem(parent);
      break;
    case 'Enter': case ' ': select(li, true); break;
    default: return;
  }
  e.preventDefault();
});

function kv(pairs) {
  const dl = el('dl', { class: 'kv' });
  for (const [k, v] of pairs) {
    if (v === null || v === undefined || v === '') continue;
    dl.append(el('dt', {}, k), el('dd', {}, v));
  }
  return dl;
}

function attrTable(caption, obj) {
  const keys = Object.keys(obj || {}).sort();
  if (keys.length === 0) return el('p', { class: 'muted' }, 'none');
  return el('table', { class: 'attrs' }, el('caption', { class: 'muted', hidden: true }, caption),
    el('tbody', {}, ...keys.map((k) => el('tr', {}, el('td', { class: 'mono' }, k), el('td', { class: 'mono' }, obj[k])))));
}

function spanButton(spanId, text) {
  if (!items.has(spanId)) return el('span', { class: 'mono' }, text || spanId);
  return el('button', { type: 'button', class: 'link', onclick: () => select(items.get(spanId), true) }, text || spanId);
}

function showDetails(span) {
  const hop = hopByConsumer.get(span.spanId);
  const outgoing = trace.hops.filter((h) => h.producerSpanId === span.spanId);
  const logs = trace.logs.filter((l) => l.spanId === span.spanId);
  const parent = spansById.get(span.parentSpanId);
  const parts = [
    el('h2', { id: 'details-title' }, serviceBadge(span.service), ' ', span.name),
    kv([
      ['Kind', span.kind],
      ['Status', span.status.code + (span.status.message ? ': ' + span.status.message : '')],
      ['Starts', '+' + duration(span.offsetNs) + ' (' + localTime(span.start) + ')'],
      ['Duration', duration(span.durationNs)],
      ['Span id', el('span', { class: 'mono' }, span.spanId)],
      ['Parent', parent ? spanButton(parent.spanId, parent.service + ': ' + parent.name) : (span.parentSpanId ? el('span', { class: 'mono' }, span.parentSpanId + ' (not in this trace)') : 'none (root)')],
      ['Scope', span.scope.name ? span.scope.name + (span.scope.version ? ' ' + span.scope.version : '') : ''],
    ]),
  ];
  if (span.messaging) {
    const m = span.messaging;
    parts.push(el('h3', {}, 'Kafka'), kv([
      ['Topic', m.topic], ['Operation', m.operation], ['Partition', m.partition], ['Offset', m.offset],
      ['Key', m.key], ['Consumer group', m.consumerGroup],
      ['Published by', hop ? spanButton(hop.producerSpanId, hop.producerService + ': ' + spansById.get(hop.producerSpanId).name) : null],
      ['Waited in Kafka', hop ? duration(hop.waitNs) + ' (consumer start − ' + hop.waitMeasuredFrom + ')' : null],
      ['Publish → process', hop ? duration(hop.publishToProcessNs) + ' (consumer start − producer start)' : null],
      ['Processed by', outgoing.length ? el('span', {}, ...outgoing.map((h, i) => [i ? ', ' : '', spanButton(h.consumerSpanId, h.consumerService + ': ' + spansById.get(h.consumerSpanId).name)])) : null],
    ]));
  }
  parts.push(el('h3', {}, 'Attributes'), attrTable('Span attributes', span.attributes));
  parts.push(el('h3', {}, 'Resource'), attrTable('Resource attributes', span.resource));
  parts.push(el('h3', {}, 'Events'), span.events.length === 0 ? el('p', { class: 'muted' }, 'none') :
    el('ul', {}, ...span.events.map((ev) => el('li', {}, el('strong', {}, ev.name), ' at +' + duration(ev.offsetNs), attrTable('Event attributes', ev.attributes)))));
  parts.push(el('h3', {}, 'Links'), span.links.length === 0 ? el('p', { class: 'muted' }, 'none') :
    el('ul', { class: 'links' }, ...span.links.map((l) => el('li', {},
      el('a', { href: '/trace/' + l.traceId + '?span=' + l.spanId, class: 'span-link' }, 'trace ' + l.traceId.slice(0, 12) + '…, span ' + l.spanId),
      Object.keys(l.attributes || {}).length ? attrTable('Link attributes', l.attributes) : null))));
  parts.push(el('h3', {}, 'Logs of this span'), logs.length === 0 ? el('p', { class: 'muted' }, 'none') : logTable(logs, false));
  details.replaceChildren(...parts);
}

function logTable(logs, withSpan) {
  return el('table', { class: 'logs' },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Time'), el('th', { scope: 'col' }, 'Severity'),
      el('th', { scope: 'col' }, 'Service'), el('th', { scope: 'col' }, 'Message'), withSpan ? el('th', { scope: 'col' }, 'Span') : null)),
    el('tbody', {}, ...logs.map((l) => {
      const span = spansById.get(l.spanId);
      return el('tr', { class: 'log-line', 'data-severity': l.severity },
        el('td', { class: 'mono' }, el('time', { datetime: l.time, title: localTime(l.time) }, '+' + duration(l.offsetNs))),
        el('td', {}, el('span', { class: 'sev ' + (l.severity || '').toUpperCase() }, l.severity || String(l.severityNumber))),
        el('td', {}, serviceBadge(l.service)),
        el('td', { class: 'body' }, l.body),
        withSpan ? el('td', {}, l.spanId ? spanButton(l.spanId, span ? span.name : l.spanId) : '') : null);
    })));
}

function render() {
  const root = trace.spans[0];
  document.title = root.service + ': ' + root.name + ' · trace · hoptrace';
  document.getElementById('trace-title').replaceChildren(serviceBadge(root.service), ' ', root.name);
  document.getElementById('summary').replaceChildren(...[
    el('span', {}, 'Trace ', el('strong', { class: 'mono' }, trace.traceId)),
    el('span', {}, 'Started ', el('strong', {}, localTime(trace.start))),
    el('span', {}, 'Duration ', el('strong', {}, duration(trace.durationNs))),
    el('span', {}, el('strong', {}, String(trace.spanCount)), ' spans'),
    el('span', {}, 'Services ', ...trace.services.map((s) => [serviceBadge(s), ' '])),
    el('span', {}, el('strong', {}, String(trace.hops.length)), ' Kafka hops'),
    trace.errorCount > 0 ? el('span', { class: 'badge error' }, '✖ ' + trace.errorCount + ' error span' + (trace.errorCount > 1 ? 's' : '')) : el('span', { class: 'badge ok' }, 'no errors'),
    trace.truncated ? el('span', { class: 'badge error' }, 'only the first spans are shown') : null].filter(Boolean));
  document.getElementById('json-link').href = '/api/traces/' + trace.traceId;
  ticks();
  buildTree();

  const hops = document.getElementById('hops');
  hops.replaceChildren(trace.hops.length === 0 ? el('p', { class: 'muted' }, 'This trace has no Kafka hop.') :
    el('table', { id: 'hop-table' },
      el('thead', {}, el('tr', {}, ...['Producer', 'Topic', 'Partition', 'Offset', 'Key', 'Consumer', 'Waited in Kafka'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...trace.hops.map((h) => el('tr', { 'data-topic': h.topic },
        el('td', {}, spanButton(h.producerSpanId, h.producerService + ': ' + spansById.get(h.producerSpanId).name)),
        el('td', { class: 'mono' }, h.topic), el('td', {}, h.partition ?? ''), el('td', {}, h.offset ?? ''), el('td', { class: 'mono' }, h.key ?? ''),
        el('td', {}, spanButton(h.consumerSpanId, h.consumerService + ': ' + spansById.get(h.consumerSpanId).name)),
        el('td', {}, duration(h.waitNs), el('span', { class: 'muted' }, ' from ' + h.waitMeasuredFrom)))))));

  document.getElementById('logs').replaceChildren(trace.logs.length === 0
    ? el('p', { class: 'muted' }, 'No log lines carry this trace id.')
    : logTable(trace.logs, true));

  if (trace.linkedFrom.length) {
    document.getElementById('linked-section').hidden = false;
    document.getElementById('linked').replaceChildren(el('ul', {}, ...trace.linkedFrom.map((l) => el('li', {},
      el('a', { href: '/trace/' + l.traceId + '?span=' + l.spanId }, l.service + ': ' + l.name), ' at ' + localTime(l.start),
      ' links to ', spanButton(l.linkedSpanId)))));
  }

  const wanted = new URLSearchParams(location.search).get('span');
  const first = items.get(wanted) || tree.querySelector('li[role="treeitem"]');
  first.setAttribute('tabindex', '0');
  if (items.has(wanted)) {
    select(first, false);
    first.scrollIntoView({ block: 'center' });
  }
}

document.getElementById('expand-all').addEventListener('click', () => tree.querySelectorAll('li[aria-expanded]').forEach((li) => toggle(li, true)));
document.getElementById('collapse-all').addEventListener('click', () => tree.querySelectorAll('li[aria-expanded]').forEach((li) => toggle(li, false)));

initHeader();
document.getElementById('json-link').href = '/api/traces/' + encodeURIComponent(traceId);
api('/api/traces/' + encodeURIComponent(traceId)).then((t) => {
  trace = t;
  for (const s of t.spans) spansById.set(s.spanId, s);
  for (const h of t.hops) hopByConsumer.set(h.consumerSpanId, h);
  render();
}).catch((e) => {
  document.getElementById('trace-title').textContent = 'Trace ' + traceId;
  showError(errorBox, e);
});
