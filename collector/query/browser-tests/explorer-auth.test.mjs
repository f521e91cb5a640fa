// The explorer behind basic authentication (COLLECTOR_QUERY_BASIC_AUTH) still works in a browser:
// without credentials the browser gets the 401 challenge (what makes it prompt); with them (Playwright
// answers the challenge as a user answers the prompt) the search page and a trace page load and draw,
// their API requests carrying the credentials the browser cached. The real explorer over fixture
// traces (ExplorerFixtureMain), the system's Chromium, headless.
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
const USER = 'ops';
const PASSWORD = 'browser s3cret';

let fixture;
let server;
let browser;
let profiles = [];

function startExplorer() {
  const classpathFile = join(target, 'test.classpath');
  if (!existsSync(classpathFile)) {
    throw new Error(classpathFile + ' is missing: run mvn verify (or ./stack test) first, which builds the explorer and its test fixtures');
  }
  const cp = [join(target, 'test-classes'), join(target, 'classes'), readFileSync(classpathFile, 'utf8').trim()].join(':');
  server = spawn('java', ['-Xmx256m', '-cp', cp, 'io.hoptrace.collector.query.ExplorerFixtureMain'], {
    stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, COLLECTOR_QUERY_BASIC_AUTH: USER + ':' + PASSWORD },
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error('the explorer did not start within 150 s:\n' + output)), 150_000);
    server.stdout.on('data', (chunk) => {
      output += chunk;
      for (const line of output.split('\n')) {
        if (line.startsWith('{"url"')) {
          clearTimeout(deadline);
          resolve(JSON.parse(line));
        }
      }
    });
    server.stderr.on('data', (c) => { output += c; });
    server.on('exit', (code) => { clearTimeout(deadline); reject(new Error('the explorer exited with ' + code + ':\n' + output)); });
  });
}

async function context(httpCredentials) {
  const profile = mkdtempSync(join(tmpdir(), 'hoptrace-chromium-'));
  profiles.push(profile);
  return chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath, headless: true, args: FLAGS, viewport: { width: 1440, height: 1000 }, httpCredentials,
  });
}

before(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(chromiumPath + ' not found: install Chromium (Debian: apt-get install chromium; .ci/run does) or set HOPTRACE_CHROMIUM');
  }
  mkdirSync(artifacts, { recursive: true });
  fixture = await startExplorer();
});

after(async () => {
  for (const p of profiles) rmSync(p, { recursive: true, force: true });
  if (server) {
    server.stdin.end();
    await new Promise((resolve) => {
      const kill = setTimeout(() => { server.kill('SIGKILL'); resolve(); }, 20_000);
      server.on('exit', () => { clearTimeout(kill); resolve(); });
      if (server.exitCode !== null) { clearTimeout(kill); resolve(); }
    });
  }
});

test('without credentials the browser gets the Basic challenge and no page', async () => {
  const ctx = await context(undefined);
  try {
    const page = ctx.pages()[0] || await ctx.newPage();
    // Chromium takes the answer as an authentication challenge (a headed browser shows its prompt
    // here); headless, with nobody to answer it, the navigation fails instead of showing a page
    await assert.rejects(page.goto(fixture.url + '/'), /ERR_INVALID_AUTH_CREDENTIALS/);
    const answer = await ctx.request.get(fixture.url + '/trace/' + fixture.traceId);
    assert.equal(answer.status(), 401);
    assert.match(answer.headers()['www-authenticate'], /^Basic realm="hoptrace explorer"/);
    assert.equal((await answer.json()).error, 'unauthorized');
  } finally {
    await ctx.close();
  }
});

test('with the user and password the search and a trace page work, their API calls authenticated', async () => {
  const ctx = await context({ username: USER, password: PASSWORD });
  try {
    const page = ctx.pages()[0] || await ctx.newPage();
    const errors = [];
    const refused = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('response', (r) => { if (r.status() === 401) refused.push(r.url()); });
    const response = await page.goto(fixture.url + '/');
    assert.equal(response.status(), 200);
    // the service list comes from /api/services: it fills only if the page's own requests got in
    await page.locator('#service option[value="order"]').waitFor({ state: 'attached' });
    await page.goto(fixture.url + '/trace/' + fixture.traceId);
    await page.locator('li[role="treeitem"]').first().waitFor();
    assert.equal(await page.locator('li[role="treeitem"]').count(), 7);
    await page.screenshot({ path: join(artifacts, 'explorer-behind-basic-auth.png'), fullPage: true });
    assert.deepEqual(errors, []);
    // the first navigation is challenged once (what makes a browser prompt); nothing after it
    assert.ok(refused.every((u) => u === fixture.url + '/'), 'refused: ' + refused.join(', '));
  } finally {
    await ctx.close();
  }
});
