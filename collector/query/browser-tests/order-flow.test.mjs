// The real thing in a browser: ./stack up's whole system (Kafka, ClickHouse, collector, inventory,
// order; free ports, a fresh data folder), one order placed over HTTP, then the explorer in headless
// Chromium: search for it, open its trace, check the five spans across both services and both Kafka
// hops are nested as they happened, open a span's details, read the log lines. Screenshots land in
// collector/query/target/browser-artifacts/order-flow-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..', '..');
const artifacts = join(here, '..', 'target', 'browser-artifacts');
const chromiumPath = process.env.HOPTRACE_CHROMIUM || '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PORTS = ['HOPTRACE_KAFKA_PORT', 'HOPTRACE_KAFKA_CONTROLLER_PORT', 'HOPTRACE_CLICKHOUSE_HTTP_PORT', 'HOPTRACE_CLICKHOUSE_TCP_PORT',
  'COLLECTOR_OTLP_GRPC_PORT', 'COLLECTOR_OTLP_HTTP_PORT', 'COLLECTOR_HEALTH_PORT', 'COLLECTOR_QUERY_PORT',
  'INVENTORY_HTTP_PORT', 'ORDER_HTTP_PORT'];

let stack; // the ./stack up process
let dataDir;
let ports = {};
let explorer;
let order; // {traceId, orderId}
let trace; // the explorer's JSON of the order's trace
let context;
let page;
let profile;

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
  });
}

async function poll(what, timeoutMs, fn) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) { last = e; }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error('timed out waiting for ' + what + (last ? ': ' + last : ''));
}

/** Starts StackMain up (what ./stack up runs) and resolves once it prints that everything is up. */
function startStack() {
  const cli = join(repo, 'tools', 'cli', 'target');
  const cpFile = join(cli, 'stack.classpath');
  if (!existsSync(cpFile)) throw new Error(cpFile + ' is missing: run mvn verify (or ./stack test) first');
  const env = { ...process.env, HOPTRACE_HOME: repo, HOPTRACE_DATA_DIR: dataDir, OTEL_METRIC_EXPORT_INTERVAL: '5000' };
  delete env.KAFKA_BOOTSTRAP_SERVERS;
  delete env.CLICKHOUSE_URL;
  for (const [k, v] of Object.entries(ports)) env[k] = String(v);
  stack = spawn('java', ['-Xmx256m', '-cp', join(cli, 'classes') + ':' + readFileSync(cpFile, 'utf8').trim(),
    'io.hoptrace.stack.StackMain', 'up'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((ok, fail) => {
    const deadline = setTimeout(() => fail(new Error('the stack did not come up within 240 s:\n' + output)), 240_000);
    stack.stdout.on('data', (c) => { output += c; if (output.includes('hoptrace is up')) { clearTimeout(deadline); ok(); } });
    stack.stderr.on('data', (c) => { output += c; });
    stack.on('exit', (code) => { clearTimeout(deadline); fail(new Error('the stack exited with ' + code + ':\n' + output)); });
  });
}

async function shot(name) {
  await page.screenshot({ path: join(artifacts, 'order-flow-' + name + '.png'), fullPage: true });
}

before(async () => {
  if (!existsSync(chromiumPath)) throw new Error(chromiumPath + ' not found: install Chromium (Debian: apt-get install chromium) or set HOPTRACE_CHROMIUM');
  mkdirSync(artifacts, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'hoptrace-order-flow-'));
  for (const p of PORTS) ports[p] = await freePort();
  explorer = 'http://127.0.0.1:' + ports.COLLECTOR_QUERY_PORT;
  await startStack();

  const res = await fetch('http://127.0.0.1:' + ports.ORDER_HTTP_PORT + '/order-product', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ productId: 'monitor', quantity: 1 }),
  });
  const body = await res.json();
  assert.equal(res.status, 201, JSON.stringify(body));
  assert.equal(body.order?.status ?? body.status, 'CONFIRMED');
  order = { traceId: body.traceId, orderId: body.order?.orderId ?? body.orderId };
  // the trace is complete in ClickHouse once the explorer sees both hops and the logs of both services
  trace = await poll('the order\'s trace with its logs in the explorer', 90_000, async () => {
    const r = await fetch(explorer + '/api/traces/' + order.traceId);
    if (r.status !== 200) return null;
    const t = await r.json();
    const logServices = new Set((t.logs || []).map((l) => l.service));
    return t.hops.length === 2 && logServices.has('order') && logServices.has('inventory') ? t : null;
  });

  profile = mkdtempSync(join(tmpdir(), 'hoptrace-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath, headless: true, args: FLAGS, viewport: { width: 1440, height: 1000 },
  });
  page = context.pages()[0] || await context.newPage();
});

after(async () => {
  if (context) await context.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  if (stack && stack.exitCode === null) {
    stack.kill('SIGTERM'); // the supervisor stops order, inventory, collector, ClickHouse, Kafka in that order
    await new Promise((ok) => {
      const kill = setTimeout(() => { stack.kill('SIGKILL'); ok(); }, 90_000);
      stack.on('exit', () => { clearTimeout(kill); ok(); });
    });
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('search finds the order placed over HTTP and opens its trace', async () => {
  await page.goto(explorer + '/');
  await page.locator('#service option[value="order"]').waitFor({ state: 'attached' });
  await page.getByLabel('Service').selectOption('order');
  await page.getByLabel('Operation').fill('POST /order-product');
  await page.getByLabel('Time range').selectOption('15m');
  await page.getByRole('button', { name: 'Find traces' }).click();
  const row = page.locator('#traces tbody tr[data-trace-id="' + order.traceId + '"]');
  await row.waitFor();
  assert.deepEqual(await row.locator('.svc').allTextContents(), ['inventory', 'order']);
  await shot('search');
  await row.locator('a.trace-link').click();
  await page.waitForURL('**/trace/' + order.traceId);
  await page.locator('li[role="treeitem"]').first().waitFor();
});

test('the five spans cross both services and both Kafka hops, each nested in the one before', async () => {
  const chain = [
    ['order', 'POST /order-product', 'Server'],
    ['order', 'stock-reductions publish', 'Producer'],
    ['inventory', 'stock-reductions process', 'Consumer'],
    ['inventory', 'stock-reduction-results publish', 'Producer'],
    ['order', 'stock-reduction-results process', 'Consumer']];
  let parentId = null;
  for (const [service, name, kind] of chain) {
    const span = trace.spans.find((s) => s.service === service && s.name === name && s.kind === kind);
    assert.ok(span, 'the trace has ' + service + ' ' + kind + ' ' + name);
    const selector = parentId
      ? 'li[data-span-id="' + parentId + '"] > ul[role="group"] > li[data-span-id="' + span.spanId + '"]'
      : 'li[data-span-id="' + span.spanId + '"]';
    const li = page.locator(selector);
    assert.equal(await li.count(), 1, name + ' is drawn' + (parentId ? ' inside the span before it' : ''));
    assert.deepEqual([await li.getAttribute('data-service'), await li.getAttribute('data-name'), await li.getAttribute('data-kind')],
      [service, name, kind]);
    parentId = span.spanId;
  }
  // both hops are drawn on their consumer rows with topic, partition and offset
  for (const topic of ['stock-reductions', 'stock-reduction-results']) {
    const hop = page.locator('.hop[data-topic="' + topic + '"]');
    assert.equal(await hop.count(), 1, 'the ' + topic + ' hop is drawn');
    assert.match(await hop.textContent(), new RegExp(topic + ' · partition \\d+ · offset \\d+ · waited'));
  }
  await shot('trace');
});

test('a consumer span opens its details and the trace shows its log lines', async () => {
  const process = trace.spans.find((s) => s.name === 'stock-reductions process');
  await page.locator('li[data-span-id="' + process.spanId + '"] > .wf-row').click();
  const details = page.locator('#details');
  await details.locator('h2', { hasText: 'stock-reductions process' }).waitFor();
  const text = await details.textContent();
  for (const expected of ['Consumer', 'inventory', 'messaging.kafka.offset', 'messaging.destination.partition.id', 'Waited in Kafka']) {
    assert.ok(text.includes(expected), 'the details show ' + expected);
  }
  await shot('span-details');
  const lines = page.locator('#logs tr.log-line');
  await lines.first().waitFor();
  const bodies = (await lines.locator('td.body').allTextContents()).join('\n');
  assert.match(bodies, new RegExp(order.orderId), 'a log line names the order');
  await page.locator('#logs').scrollIntoViewIfNeeded();
  await shot('logs');
});
