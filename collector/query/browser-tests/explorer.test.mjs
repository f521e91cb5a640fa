// Browser tests of the trace explorer: Playwright (playwright-core) drives the system's Chromium,
// headless, against the real explorer over a real ClickHouse holding fixture traces of the exact
// shape the services produce (ExplorerFixtureMain starts both). Screenshots land in
// collector/query/target/browser-artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, '..', 'target');
const artifacts = join(target, 'browser-artifacts');
const chromiumPath = process.env.HOPTRACE_CHROMIUM || '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let fixture; // {url, traceId, errorTraceId, replayTraceId, bigTraceId, spanIds}
let server;
let context;
let page;
let profile;
const pageErrors = [];

/** Starts ExplorerFixtureMain and resolves with the JSON line it prints once the explorer is up. */
function startExplorer() {
  const classpathFile = join(target, 'test.classpath');
  if (!existsSync(classpathFile)) {
    throw new Error(classpathFile + ' is missing: run mvn verify (or ./stack test) first, which builds the explorer and its test fixtures');
  }
  const cp = [join(target, 'test-classes'), join(target, 'classes'), readFileSync(classpathFile, 'utf8').trim()].join(':');
  server = spawn('java', ['-Xmx256m', '-cp', cp, 'io.hoptrace.collector.query.ExplorerFixtureMain'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error('the explorer did not start within 150 s:\n' + output)), 150_000);
    const onData = (chunk) => {
      output += chunk;
      for (const line of output.split('\n')) {
        if (line.startsWith('{"url"')) {
          clearTimeout(deadline);
          resolve(JSON.parse(line));
        }
      }
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', (c) => { output += c; });
    server.on('exit', (code) => { clearTimeout(deadline); reject(new Error('the explorer exited with ' + code + ':\n' + output)); });
  });
}

async function shot(name) {
  await page.screenshot({ path: join(artifacts, name + '.png'), fullPage: true });
}

before(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(chromiumPath + ' not found: install Chromium (Debian: apt-get install chromium; .ci/run does) or set HOPTRACE_CHROMIUM');
  }
  mkdirSync(artifacts, { recursive: true });
  fixture = await startExplorer();
  profile = mkdtempSync(join(tmpdir(), 'hoptrace-chromium-'));
  // a fresh profile each run; launchPersistentContext is how Playwright takes a --user-data-dir
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath, headless: true, args: FLAGS, viewport: { width: 1440, height: 1000 },
  });
  page = context.pages()[0] || await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
});

after(async () => {
  if (context) await context.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  if (server) {
    server.stdin.end(); // ExplorerFixtureMain stops when its input closes
    await new Promise((resolve) => {
      const kill = setTimeout(() => { server.kill('SIGKILL'); resolve(); }, 20_000);
      server.on('exit', () => { clearTimeout(kill); resolve(); });
      if (server.exitCode !== null) { clearTimeout(kill); resolve(); }
    });
  }
});

test('search finds the order by service, operation and attribute, newest first, and opens its trace page', async () => {
  await page.goto(fixture.url + '/');
  await page.locator('#service option[value="order"]').waitFor({ state: 'attached' });
  await page.getByLabel('Service').selectOption('order');
  await page.locator('#operations option[value="POST /order-product"]').waitFor({ state: 'attached' });
  await page.getByLabel('Operation').fill('POST /order-product');
  await page.getByLabel('Time range').selectOption('15m');
  await page.getByRole('button', { name: 'Find traces' }).click();
  await page.waitForURL(/operation=POST/);
  await page.locator('#results-title', { hasText: '2 traces' }).waitFor();
  const rows = page.locator('#traces tbody tr');
  // both orders match; the newer (the successful one) comes first
  assert.equal(await rows.count(), 2);
  assert.equal(await rows.nth(0).getAttribute('data-trace-id'), fixture.traceId);
  assert.equal(await rows.nth(1).getAttribute('data-trace-id'), fixture.errorTraceId);
  const first = rows.nth(0);
  assert.equal(await first.locator('a.trace-link').textContent(), 'order: POST /order-product');
  assert.deepEqual(await first.locator('.svc').allTextContents(), ['inventory', 'order']);
  assert.equal((await first.locator('td').nth(3).textContent()).trim(), '7');
  assert.match(await rows.nth(1).textContent(), /error/);

  // narrow with an attribute filter: only the order o-42
  await page.getByLabel('Attribute').fill('order.id=o-42');
  await page.getByRole('button', { name: 'Find traces' }).click();
  await page.waitForURL(/attr=order.id/);
  await page.locator('#results-title', { hasText: '1 trace' }).waitFor();
  assert.equal(await rows.count(), 1);
  await shot('01-search');

  await first.locator('a.trace-link').click();
  await page.waitForURL('**/trace/' + fixture.traceId);
  await page.locator('li[role="treeitem"]').first().waitFor();
});

test('the trace page draws the span tree with both Kafka hops nested producer → consumer', async () => {
  const ids = fixture.spanIds;
  const item = (role) => page.locator('li[role="treeitem"][data-span-id="' + ids[role] + '"]');
  assert.equal(await page.locator('li[role="treeitem"]').count(), 7);
  // the five spans of the order flow, across both services, each nested in the one before
  const chain = ['server', 'publish', 'process', 'replyPublish', 'replyProcess'];
  const expected = [
    ['order', 'POST /order-product', 'Server'], ['order', 'stock-reductions publish', 'Producer'],
    ['inventory', 'stock-reductions process', 'Consumer'], ['inventory', 'stock-reduction-results publish', 'Producer'],
    ['order', 'stock-reduction-results process', 'Consumer']];
  for (let i = 0; i < chain.length; i++) {
    const li = item(chain[i]);
    assert.deepEqual([await li.getAttribute('data-service'), await li.getAttribute('data-name'), await li.getAttribute('data-kind')], expected[i]);
    assert.equal(await li.getAttribute('aria-level'), String(i + 1));
    if (i > 0) {
      const nested = page.locator('li[data-span-id="' + ids[chain[i - 1]] + '"] > ul[role="group"] > li[data-span-id="' + ids[chain[i]] + '"]');
      assert.equal(await nested.count(), 1, chain[i] + ' is drawn as a child of ' + chain[i - 1]);
    }
  }
  // list-products: order CLIENT → inventory SERVER under the order's server span
  assert.equal(await page.locator('li[data-span-id="' + ids.server + '"] > ul > li[data-span-id="' + ids.client + '"] > ul > li[data-span-id="' + ids.inventoryServer + '"]').count(), 1);

  // the two Kafka hops, on the consumer rows, with topic, partition, offset and the wait
  const hop1 = item('process').locator(':scope > .wf-row .hop');
  assert.equal(await hop1.getAttribute('data-topic'), 'stock-reductions');
  assert.match(await hop1.textContent(), /stock-reductions · partition 1 · offset 42 · waited 3\.00 ms in Kafka/);
  const hop2 = item('replyProcess').locator(':scope > .wf-row .hop');
  assert.equal(await hop2.getAttribute('data-topic'), 'stock-reduction-results');
  assert.match(await hop2.textContent(), /partition 0 · offset 7 · waited 5\.00 ms/);
  assert.equal(await page.locator('#hop-table tbody tr').count(), 2);
  assert.match(await page.locator('#summary').textContent(), /7 spans.*2 Kafka hops/s);
  await shot('02-trace');

  // collapsible: closing the producer hides the consumer below it
  await item('publish').locator(':scope > .wf-row .toggle').click();
  assert.equal(await item('publish').getAttribute('aria-expanded'), 'false');
  assert.equal(await item('process').isVisible(), false);
  await page.getByRole('button', { name: 'Expand all' }).click();
  assert.equal(await item('process').isVisible(), true);
});

test('a span opens its details: Kafka, attributes, resource, status and its logs', async () => {
  const ids = fixture.spanIds;
  await page.locator('li[data-span-id="' + ids.process + '"] > .wf-row').click();
  const details = page.locator('#details');
  await details.locator('h2', { hasText: 'stock-reductions process' }).waitFor();
  const text = await details.textContent();
  for (const expected of ['Consumer', 'Kafka', 'stock-reductions', 'Consumer group', 'inventory', 'messaging.kafka.offset',
    'service.version', 'Waited in Kafka', 'reduced stock of p-1 by 2']) {
    assert.ok(text.includes(expected), 'details show ' + expected);
  }
  assert.equal(await page.locator('li[data-span-id="' + ids.process + '"]').getAttribute('aria-selected'), 'true');
  assert.match(page.url(), new RegExp('span=' + ids.process));
  // the producer is one click away
  await details.getByRole('button', { name: 'order: stock-reductions publish' }).first().click();
  await details.locator('h2', { hasText: 'stock-reductions publish' }).waitFor();
  await shot('03-span-details');
});

test('the trace\'s log lines are inline, in time order, with severity', async () => {
  const lines = page.locator('#logs tr.log-line');
  assert.equal(await lines.count(), 3);
  const bodies = await lines.locator('td.body').allTextContents();
  assert.deepEqual(bodies, ['order o-42 received: product p-1, quantity 2', 'reduced stock of p-1 by 2 (8 left)', 'order o-42 completed']);
  assert.deepEqual(await lines.locator('.sev').allTextContents(), ['INFO', 'INFO', 'INFO']);
  await page.locator('#logs').scrollIntoViewIfNeeded();
  await shot('04-logs');
});

test('the span tree works from the keyboard', async () => {
  const ids = fixture.spanIds;
  await page.goto(fixture.url + '/trace/' + fixture.traceId);
  const first = page.locator('li[role="treeitem"]').first();
  await first.waitFor();
  await first.focus();
  await page.keyboard.press('ArrowDown'); // order CLIENT GET
  await page.keyboard.press('ArrowDown'); // inventory SERVER
  await page.keyboard.press('ArrowDown'); // order PRODUCER
  await page.keyboard.press('Enter');
  await page.locator('#details h2', { hasText: 'stock-reductions publish' }).waitFor();
  await page.keyboard.press('ArrowLeft'); // collapse it
  assert.equal(await page.locator('li[data-span-id="' + ids.publish + '"]').getAttribute('aria-expanded'), 'false');
  await page.keyboard.press('ArrowRight'); // open again
  await page.keyboard.press('ArrowRight'); // to its child
  await page.keyboard.press('Enter');
  await page.locator('#details h2', { hasText: 'stock-reductions process' }).waitFor();
});

test('span links are shown and navigable: a replay links back to the original publish', async () => {
  await page.goto(fixture.url + '/trace/' + fixture.replayTraceId);
  await page.locator('li[role="treeitem"]').first().click();
  const link = page.locator('#details a.span-link');
  assert.match(await link.textContent(), new RegExp('span ' + fixture.spanIds.publish));
  await link.click();
  await page.waitForURL('**/trace/' + fixture.traceId + '?span=' + fixture.spanIds.publish);
  await page.locator('#details h2', { hasText: 'stock-reductions publish' }).waitFor();
  // and the original shows who links to it
  assert.match(await page.locator('#linked').textContent(), /inventory: stock-reductions process/);
});

// how fast it is drawn is a figure, not a verdict (speed goals belong in benchmarks): reported only
test('a trace of 400 spans is drawn whole', async (t) => {
  await page.goto(fixture.url + '/trace/' + fixture.bigTraceId);
  await page.locator('li[role="treeitem"]').nth(399).waitFor({ state: 'attached' });
  const ms = await page.evaluate(() => performance.now());
  assert.equal(await page.locator('li[role="treeitem"]').count(), 400);
  t.diagnostic('400-span trace page drawn ' + ms.toFixed(0) + ' ms after navigation started');
  await shot('05-big-trace');
});

test('the service map shows services and topics with request counts, error rates and p95', async () => {
  await page.goto(fixture.url + '/map?lookback=1h');
  await page.locator('svg.map g.node').first().waitFor();
  const nodes = await page.locator('svg.map g.node').evaluateAll((gs) => gs.map((g) => g.dataset.id).sort());
  for (const id of ['external:client', 'service:inventory', 'service:order', 'topic:stock-reduction-results', 'topic:stock-reductions']) {
    assert.ok(nodes.includes(id), 'node ' + id);
  }
  const edge = page.locator('#edges tr[data-source="service:order"][data-target="topic:stock-reductions"]');
  assert.match(await edge.textContent(), /kafka\s*2\s*0\s*0\.0%\s*4\.00 ms/);
  await shot('06-service-map');
});

test('the alerts page lists the rules with their state', async () => {
  await page.goto(fixture.url + '/alerts');
  await page.locator('#rules tbody tr').first().waitFor();
  const names = await page.locator('#rules tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.rule));
  assert.deepEqual(names, ['order-error-rate', 'inventory-error-rate', 'order-product-p95-latency', 'collector-ingestion-lag', 'collector-dead-letters', 'collector-ingestion-stalled']);
  await shot('07-alerts');
});

test('a malformed trace id shows the API\'s reason', async () => {
  await page.goto(fixture.url + "/trace/not-a-trace'--");
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /is not a trace id: 32 hexadecimal digits/);
});

test('no page had a script error', () => {
  // the malformed-id page logs its 400 as a failed resource load; anything else is a bug
  const unexpected = pageErrors.filter((e) => !/status of 400/.test(e));
  assert.deepEqual(unexpected, []);
});
