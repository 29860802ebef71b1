// `make bench`'s web app figures (docs/benchmarks.md, "Web app: loading and
// Lighthouse"), printed with their verdicts; nothing here fails on a figure.
//
// 1. chunks: each file of frontend/dist/assets — raw, gzip -9 and brotli (its
//    precompressed .br) — the main module (the shell) apart from the lazily
//    loaded chunks; a chunk over 200 KB gzipped is flagged.
// 2. first-screen: a real server (e2e/lib/server.js, as the e2e tests start
//    it) and Debian's Chromium (e2e/lib/browser.js's flags); for a guest, a
//    customer and an engineer, "/" opened in a fresh browser context (cold
//    HTTP cache; a logged-in role carries only the cookies of a login made in
//    another context), until the page is interactive (its h1 rendered, the
//    network idle): requests and response body bytes as they came over the
//    wire, against the goal of 250 KB.
// 3. lighthouse: Lighthouse's default (mobile) configuration on the home and
//    login pages as a guest, and on the order search and an order card as a
//    logged-in engineer; performance, accessibility, best practices, LCP and
//    TBT against the goals (performance ≥ 90, accessibility ≥ 95), and the
//    failing accessibility audits. Reports: e2e/artifacts/lighthouse/*.json.
//
//   node e2e/bench/web.js [--only chunks|first-screen|lighthouse[,…]] [--all-chunks]
//
// Run through scripts/bench-web.sh, which installs and builds what is missing.
// KB here is 1024 bytes.

import { chromium } from 'playwright-core';
import lighthouse from 'lighthouse';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { register } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync, constants as zlibConstants } from 'node:zlib';
import {
  startServer, uniqueEmail, PASSWORD, WEB_DIR, ROOT, BINARY,
} from '../lib/server.js';

// e2e/lib/browser.js imports playwright-core, which node would look for in
// e2e/node_modules (make test's install): resolve it from this package
// instead (the same pinned version), so that the bench needs only its own.
register(`data:text/javascript,${encodeURIComponent(`
  export async function resolve(specifier, context, next) {
    if (specifier === 'playwright-core' && (context.parentURL ?? '').includes('/e2e/lib/')) {
      return next(specifier, { ...context, parentURL: ${JSON.stringify(import.meta.url)} });
    }
    return next(specifier, context);
  }`)}`);
const { CHROMIUM, CHROMIUM_ARGS, ARTIFACTS, PHONE } = await import('../lib/browser.js');

const KB = 1024;
const GOALS = {
  chunkGzip: 200 * KB,
  firstScreen: 250 * KB,
  performance: 90,
  accessibility: 95,
};
const ASSETS = path.join(WEB_DIR, 'assets');
const LIGHTHOUSE_DIR = path.join(ARTIFACTS, 'lighthouse');
const WORK = 'land_plot_boundary_clarification';
/** Published orders in the engineer's region, so that the search shows a full page. */
const ORDERS = 25;

const kb = (bytes) => (bytes / KB).toFixed(1);
const within = (ok) => (ok ? 'within the goal' : 'OVER the goal');
const reached = (ok) => (ok ? 'within the goal' : 'BELOW the goal');
const say = (line = '') => process.stdout.write(`${line}\n`);
const table = (rows, align) => {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r) => r.map((cell, i) => (align[i] === 'r'
    ? String(cell).padStart(widths[i]) : String(cell).padEnd(widths[i]))).join('  ').trimEnd());
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function parseArgs(argv) {
  const parts = new Set();
  let allChunks = false;
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--only' && argv[i + 1]) {
      for (const p of argv[i + 1].split(',')) parts.add(p);
      i += 1;
    } else if (argv[i] === '--all-chunks') {
      allChunks = true;
    } else if (argv[i] === '--help' || argv[i] === '-h') {
      say('node e2e/bench/web.js [--only chunks|first-screen|lighthouse[,…]] [--all-chunks]');
      process.exit(0);
    } else {
      throw new Error(`unknown argument ${argv[i]} (--only chunks|first-screen|lighthouse)`);
    }
  }
  const all = ['chunks', 'first-screen', 'lighthouse'];
  for (const p of parts) if (!all.includes(p)) throw new Error(`--only ${p}: one of ${all.join(', ')}`);
  return { parts: parts.size ? parts : new Set(all), allChunks };
}

// ------------------------------------------------------------------ 1. chunks

async function filesUnder(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...await filesUnder(full));
    else out.push(full);
  }
  return out;
}

function kindOf(rel) {
  const name = path.basename(rel);
  if (name.endsWith('_bg.wasm')) return 'main module';
  if (name.endsWith('.wasm') || name.endsWith('.wasmpack')) return 'chunk';
  if (name === '__wasm_split.js') return 'chunk loader';
  if (/^boot-.*\.js$/.test(name)) return 'boot';
  if (name.endsWith('.js')) return 'glue';
  if (name.endsWith('.css')) return 'style';
  return 'other';
}

const KIND_ORDER = ['boot', 'style', 'glue', 'chunk loader', 'main module', 'chunk', 'other'];

/** Every .js/.wasm/.css of dist/assets with its raw, gzip -9 and .br sizes. */
async function assetSizes() {
  const files = (await filesUnder(ASSETS)).filter((f) => /\.(js|wasm|wasmpack|css)$/.test(f));
  const rows = [];
  for (const file of files) {
    const raw = await readFile(file);
    const gzip = gzipSync(raw, { level: zlibConstants.Z_BEST_COMPRESSION }).length;
    const br = await stat(`${file}.br`).then((s) => s.size, () => null);
    const rel = path.relative(ASSETS, file);
    rows.push({ rel, kind: kindOf(rel), raw: raw.length, gzip, br });
  }
  rows.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind)
    || (a.kind === 'chunk' ? b.gzip - a.gzip : a.rel.localeCompare(b.rel)));
  return rows;
}

/** `app-<hash>/` as `app/`, and a split point's numeric suffix left out (for the table only). */
const shortName = (rel) => rel.replace(/^app-[^/]+\//, 'app/').replace(/_\d{12,}(?=\.wasm(pack)?$)/, '');
const LISTED_CHUNKS = 15;

async function chunks(allChunks) {
  const rows = await assetSizes();
  const split = rows.some((r) => r.kind === 'chunk');
  const app = rows.find((r) => r.kind === 'main module')?.rel.split('/')[0];
  say(`web app  per file of frontend/dist/assets${app ? ` (app/ = ${app}/)` : ''}; KB = 1024 B; goal: no lazily loaded chunk over ${GOALS.chunkGzip / KB} KB gzipped`);
  if (!split) say('web app  NOTE: no chunk in dist/assets: this build is not split (wasm-split)');
  const sum = (list, key) => list.reduce((s, r) => s + (r[key] ?? 0), 0);
  const chunkRows = rows.filter((r) => r.kind === 'chunk');
  const shell = rows.filter((r) => r.kind !== 'chunk');
  // Every file but the chunks; of those (there are hundreds) the largest and
  // any over the goal, the rest summed up (--all-chunks lists them all).
  const listed = allChunks ? chunkRows
    : chunkRows.filter((r, i) => i < LISTED_CHUNKS || r.gzip > GOALS.chunkGzip);
  const rest = chunkRows.filter((r) => !listed.includes(r));
  const lines = [['file', 'kind', 'raw KB', 'gzip -9 KB', 'br KB', 'verdict']];
  for (const r of [...shell, ...listed]) {
    const verdict = r.kind === 'chunk' ? within(r.gzip <= GOALS.chunkGzip) : '';
    lines.push([shortName(r.rel), r.kind, kb(r.raw), kb(r.gzip), r.br === null ? '—' : kb(r.br), verdict]);
  }
  if (rest.length) {
    lines.push([`… ${rest.length} smaller chunks (each ≤ ${kb(rest[0].gzip)} KB gzipped)`, 'chunk',
      kb(sum(rest, 'raw')), kb(sum(rest, 'gzip')), kb(sum(rest, 'br')), within(true)]);
  }
  lines.push(['shell (all but the chunks)', `${shell.length} files`, kb(sum(shell, 'raw')), kb(sum(shell, 'gzip')), kb(sum(shell, 'br')), '']);
  lines.push(['chunks', `${chunkRows.length} files`, kb(sum(chunkRows, 'raw')), kb(sum(chunkRows, 'gzip')), kb(sum(chunkRows, 'br')), '']);
  for (const line of table(lines, ['l', 'l', 'r', 'r', 'r', 'l'])) say(`web app  ${line}`);
  const over = chunkRows.filter((r) => r.gzip > GOALS.chunkGzip);
  const largest = chunkRows[0];
  say(`web app  chunks over ${GOALS.chunkGzip / KB} KB gzipped: ${over.length ? over.map((r) => `${shortName(r.rel)} (${kb(r.gzip)} KB)`).join(', ') : 'none'}`
    + `${largest ? `; the largest: ${shortName(largest.rel)}, ${kb(largest.gzip)} KB gzipped` : ''} (${within(!over.length)})`);
  say();
  return rows;
}

// ------------------------------------------------------------------ the accounts

/**
 * A customer with ORDERS published orders in region 50 and an engineer of
 * region 50 who can open them (e2e/lib/server.js's helpers).
 */
async function accounts(server) {
  const customer = uniqueEmail('bench-customer');
  await server.registerConfirmed(customer, PASSWORD, 'Сидоров Олег Павлович');
  const engineer = await server.engineer(uniqueEmail('bench-engineer'), { regions: ['50'] });
  const token = (await server.login(customer, PASSWORD)).access_token;
  const orderIds = [];
  for (let i = 0; i < ORDERS; i += 1) {
    const created = await server.apiOk('POST', '/orders', {
      title: `Уточнение границ участка ${i + 1}`,
      work_types: [WORK],
      region_code: '50',
      address: `Московская обл., г. Жуковский, ул. Чкалова, д. ${i + 1}`,
      deadline_days: 14 + i,
    }, { token }, 201);
    await server.apiOk('POST', `/orders/${created.body.id}/publish`, {}, { token });
    orderIds.push(created.body.id);
  }
  return { customer, engineer: engineer.email, orderId: orderIds[0] };
}

/**
 * Logs in through the login page at `baseUrl` (absolute addresses: the
 * default context of a browser connected over CDP has no base URL); when the
 * account has several roles, enters as `role`.
 */
async function logIn(page, baseUrl, email, role) {
  await page.goto(`${baseUrl}/login`);
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await page.click('form button[type=submit]:visible');
  await page.waitForURL((url) => url.pathname !== '/login', { timeout: 20_000 });
  if (new URL(page.url()).pathname === '/choose-role') {
    await page.click(`button[data-role=${role}]`);
    await page.waitForURL((url) => url.pathname !== '/choose-role', { timeout: 20_000 });
  }
}

// ------------------------------------------------------------------ 2. first screen

/** The size of the build's file at `urlPath` gzipped (-9), or null when it is not one. */
const gzipSizes = new Map();
async function gzipSize(urlPath) {
  if (!urlPath.startsWith('/assets/')) return null;
  if (!gzipSizes.has(urlPath)) {
    gzipSizes.set(urlPath, await readFile(path.join(WEB_DIR, decodeURIComponent(urlPath)))
      .then((raw) => gzipSync(raw, { level: zlibConstants.Z_BEST_COMPRESSION }).length, () => null));
  }
  return gzipSizes.get(urlPath);
}

/** Opens "/" in a fresh context (cookies only from `cookies`) and records what it fetched. */
async function firstScreen(browser, server, role, cookies) {
  const context = await browser.newContext({
    viewport: PHONE, locale: 'ru-RU', deviceScaleFactor: 1, serviceWorkers: 'block',
  });
  try {
    if (cookies) await context.addCookies(cookies);
    const page = await context.newPage();
    const pending = [];
    const failed = [];
    page.on('requestfinished', (request) => {
      pending.push((async () => {
        const sizes = await request.sizes().catch(() => null);
        const response = await request.response().catch(() => null);
        const headers = await request.allHeaders().catch(() => ({}));
        return {
          path: new URL(request.url()).pathname,
          status: response?.status() ?? 0,
          bytes: sizes?.responseBodySize ?? 0,
          headerBytes: sizes?.responseHeadersSize ?? 0,
          encoding: (await response?.headerValue('content-encoding').catch(() => null)) ?? '',
          accept: headers['accept-encoding'] ?? '',
        };
      })());
    });
    page.on('requestfailed', (request) => failed.push(`${request.url()} ${request.failure()?.errorText ?? ''}`));
    const started = Date.now();
    await page.goto(`${server.url}/`);
    await page.locator('h1').first().waitFor({ state: 'visible', timeout: 30_000 });
    let acting = '';
    if (role !== 'guest') {
      const badge = page.locator('[data-testid=acting-role]').first();
      const deadline = Date.now() + 30_000;
      while (!acting && Date.now() < deadline) {
        acting = (await badge.innerText().catch(() => '')).trim();
        if (!acting) await sleep(50);
      }
      if (!acting) throw new Error(`the first screen of the ${role} shows no acting role (not logged in?)`);
    }
    const rendered = Date.now() - started;
    await page.waitForLoadState('networkidle', { timeout: 30_000 });
    const interactive = Date.now() - started;
    const h1 = (await page.locator('h1').first().innerText()).trim();
    const transfers = await Promise.all(pending);
    for (const t of transfers) t.gzip = t.encoding === 'gzip' ? t.bytes : await gzipSize(t.path);
    return { role, h1, acting, rendered, interactive, transfers, failed };
  } finally {
    await context.close().catch(() => {});
  }
}

/** The cookies of a login made in its own context (which is then closed). */
async function loginCookies(browser, server, email, role) {
  const context = await browser.newContext({ viewport: PHONE, locale: 'ru-RU', serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    await logIn(page, server.url, email, role);
    const { cookies } = await context.storageState();
    if (!cookies.length) throw new Error(`the login of ${email} left no cookie`);
    return cookies;
  } finally {
    await context.close().catch(() => {});
  }
}

async function firstScreens(server, who) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 30_000,
  });
  const results = [];
  try {
    results.push(await firstScreen(browser, server, 'guest', null));
    results.push(await firstScreen(browser, server, 'customer', await loginCookies(browser, server, who.customer, 'customer')));
    results.push(await firstScreen(browser, server, 'engineer', await loginCookies(browser, server, who.engineer, 'engineer')));
  } finally {
    await browser.close().catch(() => {});
  }

  const encodings = new Set();
  for (const r of results) {
    for (const t of r.transfers) if (t.path.endsWith('.wasm')) encodings.add(t.encoding || 'identity');
    r.total = r.transfers.reduce((s, t) => s + t.bytes, 0);
    r.gzip = r.transfers.reduce((s, t) => s + (t.gzip ?? t.bytes), 0);
  }
  const accept = results[0].transfers.find((t) => t.path.endsWith('_bg.wasm'))?.accept ?? '?';
  const enc = [...encodings].join(', ') || '?';
  say(`web app  first screen of "/" per role: headless Chromium (${CHROMIUM}), fresh context (cold HTTP cache), 375 × 800,`);
  say('web app  until its h1 rendered and the network idle; response bodies as they came over the wire, and the same');
  say(`web app  with each asset gzipped (-9) as a client without br gets it (goal: ≤ ${GOALS.firstScreen / KB} KB gzipped)`);
  say(`web app  Chromium asked for "${accept}" and the wasm came ${enc}`
    + `${enc === 'gzip' ? ' (br is offered only over https): both columns are gzip' : ''}`);
  const lines = [['role', 'requests', `wire KB (${enc})`, 'verdict', 'gzip KB', 'verdict', 'rendered', 'idle']];
  for (const r of results) {
    lines.push([r.role, r.transfers.length, kb(r.total), within(r.total <= GOALS.firstScreen),
      kb(r.gzip), within(r.gzip <= GOALS.firstScreen), `${r.rendered} ms`, `${r.interactive} ms`]);
  }
  for (const line of table(lines, ['l', 'r', 'r', 'l', 'r', 'l', 'r', 'r'])) say(`web app  ${line}`);
  for (const r of results) {
    say(`web app  ${r.role} (h1 "${r.h1}"${r.acting ? `, acting as ${r.acting}` : ''}): `
      + r.transfers.map((t) => `${t.path.replace(/^\/assets\/app-[^/]+\//, 'app/')} ${kb(t.bytes)}${t.status >= 400 ? ` [${t.status}]` : ''}`).join(', '));
    if (r.failed.length) say(`web app  ${r.role}: failed requests: ${r.failed.join('; ')}`);
    const chunksFetched = r.transfers.filter((t) => /\.wasm(pack)?$/.test(t.path) && !t.path.endsWith('_bg.wasm'));
    if (chunksFetched.length) say(`web app  ${r.role}: the first screen fetched ${chunksFetched.length} chunk(s)`);
  }
  say();
  return results;
}

// ------------------------------------------------------------------ 3. Lighthouse

/** Debian's Chromium with the e2e flags and a DevTools port of its own; resolves to {child, port, profile}. */
async function launchForLighthouse() {
  const profile = await mkdtemp(path.join(tmpdir(), 'mezha-bench-chromium-'));
  const child = spawn(CHROMIUM, [
    ...CHROMIUM_ARGS, '--headless', '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank',
  ], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  // Its own process group, ended with it also when this script dies.
  process.once('exit', () => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } });
  let log = '';
  child.stderr.on('data', (chunk) => { log = (log + chunk).slice(-4000); });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const text = await readFile(path.join(profile, 'DevToolsActivePort'), 'utf8').catch(() => '');
    const port = Number(text.split('\n')[0]);
    if (port > 0) return { child, port, profile };
    if (child.exitCode !== null || Date.now() > deadline) {
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
      throw new Error(`Chromium (${CHROMIUM}) did not start with a DevTools port:\n${log}`);
    }
    await sleep(100);
  }
}

const PAGES = [
  { name: 'home', label: 'home /', path: () => '/', as: 'guest' },
  { name: 'login', label: 'login /login', path: () => '/login', as: 'guest' },
  { name: 'orders-search', label: 'order search /orders/search', path: () => '/orders/search', as: 'engineer' },
  { name: 'order-card', label: 'order card /orders/<id>', path: (who) => `/orders/${who.orderId}`, as: 'engineer' },
];

function failingAudits(lhr, category) {
  return (lhr.categories[category]?.auditRefs ?? [])
    .filter((ref) => ref.weight > 0 || category === 'accessibility')
    .map((ref) => lhr.audits[ref.id])
    .filter((a) => a && a.score !== null && a.score < 1 && a.scoreDisplayMode !== 'notApplicable'
      && a.scoreDisplayMode !== 'informative' && a.scoreDisplayMode !== 'manual')
    .map((a) => {
      const items = a.details?.items ?? [];
      const item = items[0] ?? {};
      const first = (item.node ? `${item.node.snippet ?? ''} at ${item.node.selector ?? '?'}`
        : item.description ?? item.url ?? '').replace(/\s+/g, ' ').slice(0, 160);
      return `${a.title}${items.length ? ` (${items.length}${first ? `, e.g. ${first}` : ''})` : ''}`;
    });
}

async function lighthouseRuns(server, who) {
  await mkdir(LIGHTHOUSE_DIR, { recursive: true });
  const { child, port, profile } = await launchForLighthouse();
  let browser;
  const results = [];
  try {
    browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`, { timeout: 30_000 });
    const context = browser.contexts()[0];
    const page = context.pages()[0] ?? await context.newPage();
    const cdp = await context.newCDPSession(page);
    let loggedIn = false;
    for (const target of PAGES) {
      if (target.as === 'engineer' && !loggedIn) {
        // The refresh cookie goes into the browser's default context, the one
        // Lighthouse's tab opens in; Lighthouse then runs without its storage
        // reset (which would not clear cookies, but we keep the run as agreed).
        await logIn(page, server.url, who.engineer, 'engineer');
        await page.goto('about:blank');
        loggedIn = true;
      }
      // A cold HTTP cache for every run, also without the storage reset.
      await cdp.send('Network.clearBrowserCache');
      const url = `${server.url}${target.path(who)}`;
      const started = Date.now();
      const result = await lighthouse(url, {
        port,
        hostname: '127.0.0.1',
        output: 'json',
        logLevel: 'error',
        onlyCategories: ['performance', 'accessibility', 'best-practices'],
        disableStorageReset: target.as !== 'guest',
      });
      if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
      const { lhr } = result;
      const file = path.join(LIGHTHOUSE_DIR, `${target.name}.json`);
      await writeFile(file, typeof result.report === 'string' ? result.report : JSON.stringify(lhr));
      const score = (id) => (lhr.categories[id]?.score == null ? null : Math.round(lhr.categories[id].score * 100));
      results.push({
        ...target,
        url,
        seconds: ((Date.now() - started) / 1000).toFixed(0),
        finalUrl: lhr.finalDisplayedUrl ?? lhr.finalUrl,
        runtimeError: lhr.runtimeError?.message,
        warnings: lhr.runWarnings ?? [],
        performance: score('performance'),
        accessibility: score('accessibility'),
        bestPractices: score('best-practices'),
        lcp: lhr.audits['largest-contentful-paint']?.numericValue,
        tbt: lhr.audits['total-blocking-time']?.numericValue,
        fcp: lhr.audits['first-contentful-paint']?.numericValue,
        a11yFailing: failingAudits(lhr, 'accessibility'),
        bpFailing: failingAudits(lhr, 'best-practices'),
        requests: lhr.audits['network-requests']?.details?.items ?? [],
        lcpElement: lhr.audits['largest-contentful-paint-element']?.details?.items?.[0]?.items?.[0]?.node?.snippet,
        mainThread: (lhr.audits['mainthread-work-breakdown']?.details?.items ?? []).slice(0, 3)
          .map((i) => `${i.groupLabel} ${Math.round(i.duration)} ms`).join(', '),
        benchmarkIndex: lhr.environment?.benchmarkIndex,
        version: lhr.lighthouseVersion,
        file,
      });
    }
  } finally {
    await browser?.close().catch(() => {});
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    await sleep(200);
    await rm(profile, { recursive: true, force: true }).catch(() => {});
  }

  const version = results[0]?.version;
  say(`web app  Lighthouse${version ? ` ${version}` : ''} (default configuration: mobile emulation, simulated throttling), Chromium ${CHROMIUM}`);
  say(`web app  goals: performance ≥ ${GOALS.performance}, accessibility ≥ ${GOALS.accessibility}; reports in ${path.relative(ROOT, LIGHTHOUSE_DIR)}/`);
  const fmt = (v) => (v == null ? '—' : String(v));
  const ms = (v) => (v == null ? '—' : String(Math.round(v)));
  const lines = [['page', 'as', 'perf', 'a11y', 'best pr.', 'FCP ms', 'LCP ms', 'TBT ms', 'requests', 'KB', 'performance', 'accessibility']];
  for (const r of results) {
    const bytes = r.requests.reduce((s, q) => s + (q.transferSize ?? 0), 0);
    lines.push([r.label, r.as, fmt(r.performance), fmt(r.accessibility), fmt(r.bestPractices), ms(r.fcp), ms(r.lcp), ms(r.tbt),
      r.requests.length, kb(bytes),
      r.performance == null ? '—' : reached(r.performance >= GOALS.performance),
      r.accessibility == null ? '—' : reached(r.accessibility >= GOALS.accessibility)]);
  }
  for (const line of table(lines, ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l', 'l'])) say(`web app  ${line}`);
  for (const r of results) {
    if (r.finalUrl && new URL(r.finalUrl).pathname !== new URL(r.url).pathname) {
      say(`web app  ${r.name}: NOTE the page ended at ${r.finalUrl}, not ${r.url}`);
    }
    if (r.runtimeError) say(`web app  ${r.name}: Lighthouse error: ${r.runtimeError}`);
    for (const w of r.warnings) say(`web app  ${r.name}: Lighthouse warning: ${String(w).split('\n')[0]}`);
    if (r.performance != null && r.performance < GOALS.performance) {
      const chunkRequests = r.requests.filter((q) => /\.wasm(pack)?$/.test(new URL(q.url).pathname) && !/_bg\.wasm$/.test(q.url));
      say(`web app  ${r.name}: LCP element ${r.lcpElement ?? '?'}; ${chunkRequests.length} chunks fetched`
        + ` (${kb(chunkRequests.reduce((s, q) => s + (q.transferSize ?? 0), 0))} KB);`
        + ` main thread (CPU ×4 slowed): ${r.mainThread}`);
    }
    if (r.a11yFailing.length) say(`web app  ${r.name}: accessibility audits failing: ${r.a11yFailing.join('; ')}`);
    if (r.bpFailing.length) say(`web app  ${r.name}: best-practices audits failing: ${r.bpFailing.join('; ')}`);
  }
  if (results[0]?.benchmarkIndex) say(`web app  Lighthouse's benchmark index of this machine: ${Math.round(results[0].benchmarkIndex)}`);
  say();
  return results;
}

// ------------------------------------------------------------------ main

/**
 * Fetches every asset once gzipped: the server gzips a file on its first
 * request and keeps it (backend/http/src/webapp.rs), as a server that has
 * served anyone does; without this the first page to need a file would wait
 * for its compression (seconds in a debug build).
 */
async function warmUp(server) {
  const files = (await filesUnder(ASSETS)).filter((f) => /\.(js|wasm|wasmpack|css)$/.test(f));
  for (const file of files) {
    const res = await fetch(`${server.url}/assets/${path.relative(ASSETS, file).split(path.sep).join('/')}`, {
      headers: { 'accept-encoding': 'gzip' }, signal: AbortSignal.timeout(60_000),
    });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`GET ${res.url} answered ${res.status}`);
  }
}

async function main() {
  const { parts, allChunks } = parseArgs(process.argv.slice(2));
  await stat(ASSETS).catch(() => {
    throw new Error(`${ASSETS} is missing: run \`make frontend\` (scripts/bench-web.sh does)`);
  });
  if (parts.has('chunks')) await chunks(allChunks);
  if (!parts.has('first-screen') && !parts.has('lighthouse')) return;
  const server = await startServer();
  try {
    say(`web app  server: ${path.relative(ROOT, BINARY)} at ${server.url}; seeding a customer, an engineer and ${ORDERS} published orders`);
    const who = await accounts(server);
    await warmUp(server);
    say();
    if (parts.has('first-screen')) await firstScreens(server, who);
    if (parts.has('lighthouse')) await lighthouseRuns(server, who);
  } catch (err) {
    if (server.log.trim()) err.message += `\n--- server log (tail) ---\n${server.log.slice(-3000)}`;
    throw err;
  } finally {
    await server.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`bench-web: error: ${err.stack ?? err}\n`);
  process.exit(1);
});
