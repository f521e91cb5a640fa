// Shared by every page: the JSON API client, formatting, a tiny DOM builder, the header.
// Everything is built with DOM calls and textContent: data from spans never becomes HTML.

/** GET an API path; resolves with the JSON body, rejects with the API's own error message. */
export async function api(path) {
  let response;
  try {
    response = await fetch(path, { headers: { Accept: 'application/json' } });
  } catch (e) {
    throw new Error('the explorer is not reachable (' + e.message + ')');
  }
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    // not JSON: reported below
  }
  if (!response.ok) {
    const message = body && body.message ? body.message : 'HTTP ' + response.status;
    const error = new Error(message);
    error.status = response.status;
    error.parameter = body && body.parameter;
    throw error;
  }
  return body;
}

/** el('a', {href: '/x', class: 'y'}, 'text', child): an element; attributes starting with "on" are listeners. */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/** Nanoseconds as a short human duration: 850 µs, 12.3 ms, 1.42 s, 2 m 05 s. */
export function duration(ns) {
  if (ns === null || ns === undefined || Number.isNaN(ns)) return '–';
  const sign = ns < 0 ? '−' : '';
  const a = Math.abs(ns);
  if (a < 1e3) return sign + a + ' ns';
  if (a < 1e6) return sign + trim(a / 1e3) + ' µs';
  if (a < 1e9) return sign + trim(a / 1e6) + ' ms';
  if (a < 60e9) return sign + trim(a / 1e9) + ' s';
  const s = Math.round(a / 1e9);
  return sign + Math.floor(s / 60) + ' m ' + String(s % 60).padStart(2, '0') + ' s';
}

function trim(x) {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

/** An ISO instant in the viewer's local time, to the millisecond: 2026-11-25 13:04:05.123 */
export function localTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n, w = 2) => String(n).padStart(w, '0');
  return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + ' ' + p(d.getHours()) + ':' +
    p(d.getMinutes()) + ':' + p(d.getSeconds()) + '.' + p(d.getMilliseconds(), 3);
}

/** A stable colour per service, so the same service looks the same on every page. */
export function serviceColour(name) {
  let h = 0;
  for (const ch of name || '') h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return 'hsl(' + (h % 360) + ' 55% 38%)';
}

export function serviceBadge(name) {
  const b = el('span', { class: 'svc', text: name });
  b.style.setProperty('--svc', serviceColour(name));
  return b;
}

/** Shows an error in the page's alert region (role=alert: screen readers announce it). */
export function showError(region, error) {
  region.replaceChildren(el('strong', {}, 'Error: '), error.message || String(error));
  region.hidden = false;
}

export function clearError(region) {
  region.replaceChildren();
  region.hidden = true;
}

/** The header: current page marked, trace-id box, and the number of firing alerts. */
export function initHeader() {
  const here = location.pathname === '/' || location.pathname === '/search' ? '/' : '/' + location.pathname.split('/')[1];
  for (const a of document.querySelectorAll('header nav a')) {
    if (a.getAttribute('href') === here) a.setAttribute('aria-current', 'page');
  }
  const form = document.getElementById('goto');
  if (form) {
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const input = document.getElementById('goto-id');
      const id = input.value.trim().toLowerCase();
      const hint = document.getElementById('goto-hint');
      if (!/^[0-9a-f]{32}$/.test(id)) {
        hint.textContent = 'A trace id is 32 hexadecimal digits.';
        input.setAttribute('aria-invalid', 'true');
        input.focus();
        return;
      }
      location.href = '/trace/' + id;
    });
  }
  api('/api/alerts').then((a) => {
    const badge = document.getElementById('alert-count');
    if (badge && a.firing > 0) {
      badge.textContent = a.firing + ' firing';
      badge.hidden = false;
    }
  }).catch(() => { /* the alerts page says what is wrong */ });
}
