import { api, el, showError, clearError, initHeader } from '/static/common.js';

// The service map: GET /api/service-map, drawn as layered SVG (columns by distance from the
// entry points) with an edge table beside it, which is also what screen readers read.

const SVG = 'http://www.w3.org/2000/svg';
const W = 176, H = 46, COL = 350, ROW = 110, PAD = 30;
const form = document.getElementById('map-form');
const lookback = document.getElementById('lookback');
const errorBox = document.getElementById('error');

function svg(tag, attrs, ...children) {
  const n = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) n.setAttribute(k, String(v));
  for (const c of children) n.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return n;
}

function pct(x) {
  return (x * 100).toFixed(x < 0.1 && x > 0 ? 2 : 1) + '%';
}

function ms(x) {
  return x === null || x === undefined ? '–' : x >= 100 ? x.toFixed(0) + ' ms' : x.toFixed(2) + ' ms';
}

/**
 * Columns: the longest path from the entry points once the edges that close a cycle (a reply topic
 * back to the caller: order → topic → inventory → topic → order) are set aside; those are drawn
 * as loops under the nodes.
 */
function layers(nodes, edges) {
  const out = new Map(nodes.map((n) => [n.id, []]));
  edges.forEach((e) => out.get(e.source).push(e));
  const incoming = new Map(nodes.map((n) => [n.id, 0]));
  edges.forEach((e) => incoming.set(e.target, incoming.get(e.target) + 1));
  const starts = nodes.filter((n) => n.type === 'external' || incoming.get(n.id) === 0).map((n) => n.id);
  const state = new Map(); // id -> 1 on the DFS stack, 2 done
  const back = new Set();
  const visit = (id) => {
    state.set(id, 1);
    // Kafka edges first, so the publish → topic → process chain sets the order of the columns
    const next = [...out.get(id)].sort((a, b) => (a.kind === 'kafka' ? 0 : 1) - (b.kind === 'kafka' ? 0 : 1));
    for (const e of next) {
      if (state.get(e.target) === 1) back.add(e);
      else if (!state.has(e.target)) visit(e.target);
    }
    state.set(id, 2);
  };
  [...starts, ...nodes.map((n) => n.id)].forEach((id) => { if (!state.has(id)) visit(id); });
  const layer = new Map(nodes.map((n) => [n.id, 0]));
  for (let i = 0; i < nodes.length; i++) {
    for (const e of edges) {
      if (!back.has(e) && layer.get(e.target) < layer.get(e.source) + 1) layer.set(e.target, layer.get(e.source) + 1);
    }
  }
  return { layer, back };
}

function draw(map) {
  const box = document.getElementById('map');
  if (map.nodes.length === 0) {
    box.replaceChildren(el('p', { class: 'muted empty' }, 'No spans in this time range.'));
    return;
  }
  const { layer, back } = layers(map.nodes, map.edges);
  const pos = new Map();
  const perCol = new Map();
  for (const n of map.nodes) {
    const c = layer.get(n.id);
    const r = perCol.get(c) || 0;
    perCol.set(c, r + 1);
    pos.set(n.id, { x: PAD + c * COL, y: PAD + r * ROW });
  }
  const width = PAD * 2 + (Math.max(...layer.values()) + 1) * COL - (COL - W);
  const height = PAD * 2 + Math.max(...perCol.values()) * ROW + 80;
  const root = svg('svg', { class: 'map', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-label': 'Service map with ' + map.nodes.length + ' nodes and ' + map.edges.length + ' edges; the table below lists every edge' });
  root.append(svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
    svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#8c959f' }))));
  map.edges.forEach((e, i) => {
    const a = pos.get(e.source), b = pos.get(e.target);
    let d, lx, ly;
    if (!back.has(e) && b.x > a.x) {
      const x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x, y2 = b.y + H / 2;
      d = `M${x1},${y1} C${x1 + 60},${y1} ${x2 - 60},${y2} ${x2},${y2}`;
      lx = (x1 + x2) / 2; ly = (y1 + y2) / 2 - 8;
    } else {
      // backwards (a reply topic back to the caller): loop under the nodes
      const x1 = a.x + W / 2, y1 = a.y + H, x2 = b.x + W / 2, y2 = b.y + H;
      const low = Math.max(y1, y2) + 70 + (i % 3) * 14;
      d = `M${x1},${y1} C${x1},${low} ${x2},${low} ${x2},${y2}`;
      lx = (x1 + x2) / 2; ly = low * 0.75 + Math.max(y1, y2) * 0.25 + 14;
    }
    const label = e.requests + ' req · ' + pct(e.errorRate) + ' err · p95 ' + ms(e.p95Ms);
    const labelBg = svg('rect', { class: 'label-bg', x: lx - label.length * 3.2, y: ly - 12, width: label.length * 6.4, height: 16, rx: 3 });
    root.append(svg('g', { class: 'edge' + (e.errors > 0 ? ' has-errors' : ''), 'data-source': e.source, 'data-target': e.target },
      svg('path', { d, 'marker-end': 'url(#arrow)' }), labelBg,
      svg('text', { x: lx, y: ly, 'text-anchor': 'middle' }, label)));
  });
  for (const n of map.nodes) {
    const p = pos.get(n.id);
    root.append(svg('g', { class: 'node ' + n.type, 'data-id': n.id },
      svg('rect', { x: p.x, y: p.y, width: W, height: H, rx: n.type === 'topic' ? 22 : 6 }),
      svg('text', { x: p.x + W / 2, y: p.y + 19, 'text-anchor': 'middle', 'font-weight': 600 }, n.name),
      svg('text', { x: p.x + W / 2, y: p.y + 36, 'text-anchor': 'middle', class: 'type' }, n.type === 'topic' ? 'Kafka topic' : n.type)));
  }
  box.replaceChildren(root);
}

function table(map) {
  const name = new Map(map.nodes.map((n) => [n.id, (n.type === 'topic' ? 'topic ' : '') + n.name]));
  document.querySelector('#edges tbody').replaceChildren(...map.edges.map((e) => el('tr', { 'data-source': e.source, 'data-target': e.target },
    el('td', {}, name.get(e.source)), el('td', {}, name.get(e.target)), el('td', {}, e.kind),
    el('td', { class: 'num' }, String(e.requests)), el('td', { class: 'num' }, String(e.errors)),
    el('td', { class: 'num' }, pct(e.errorRate)), el('td', { class: 'num' }, ms(e.p95Ms)),
    el('td', { class: 'num' }, e.p95PublishToProcessMs === undefined ? '' : ms(e.p95PublishToProcessMs)))));
}

async function load(push) {
  clearError(errorBox);
  const q = 'lookback=' + encodeURIComponent(lookback.value);
  if (push) history.pushState(null, '', '/map?' + q);
  document.getElementById('json-link').href = '/api/service-map?' + q;
  try {
    const map = await api('/api/service-map?' + q);
    draw(map);
    table(map);
  } catch (e) {
    showError(errorBox, e);
  }
}

form.addEventListener('submit', (e) => { e.preventDefault(); load(true); });
initHeader();
lookback.value = new URLSearchParams(location.search).get('lookback') || '1h';
load(false);
