// The web app after code splitting (docs/ARCHITECTURE.md, "Code splitting"):
// a guest's first screen fetches only the shell, within the size guard; a
// lazily loaded page or part fetches its chunk when first visited, never
// before; and every route still renders (one visit each, with a screenshot).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uniqueEmail, PASSWORD } from '../lib/server.js';
import { withPage, expectText, expectPath, eventually, logIn, DESKTOP, PHONE } from '../lib/browser.js';
import { useServerAndBrowser } from '../lib/harness.js';

const env = useServerAndBrowser();

/** The e2e guard on a guest's first screen (the goal, 250 KB, is `make bench`'s). */
const FIRST_SCREEN_GUARD = 300 * 1024;

/**
 * Records every response of the page: its URL and the bytes that came over
 * the wire for its body (compressed as sent).
 */
function recordTransfers(page) {
  const transfers = [];
  page.on('requestfinished', async (request) => {
    const url = new URL(request.url());
    const sizes = await request.sizes().catch(() => null);
    const response = await request.response().catch(() => null);
    transfers.push({
      path: url.pathname,
      bytes: sizes?.responseBodySize ?? 0,
      encoding: (await response?.headerValue('content-encoding').catch(() => null)) ?? '',
    });
  });
  return transfers;
}

// The lazily loaded modules come in packs (scripts/web-pack.mjs).
const isChunk = (t) => t.path.endsWith('.wasmpack') || (t.path.endsWith('.wasm') && !t.path.endsWith('_bg.wasm'));
const isMainModule = (t) => t.path.endsWith('_bg.wasm');

test("a guest's first screen is the shell alone, and chunks come with their pages", async () => {
  const { server, browser } = env;
  await withPage(browser, server, 'loading-guest', { viewport: PHONE }, async (s) => {
    const { page } = s;
    const transfers = recordTransfers(page);
    await page.goto('/');
    await expectText(page, 'h1', 'Межа');
    await page.waitForLoadState('networkidle');
    const total = transfers.reduce((sum, t) => sum + t.bytes, 0);
    const listing = transfers.map((t) => `${t.path} ${t.bytes} B ${t.encoding}`).join('\n');
    console.log(`first screen of a guest: ${transfers.length} requests, ${total} B over the wire\n${listing}`);
    assert.equal(transfers.filter(isMainModule).length, 1, `one main module:\n${listing}`);
    assert.deepEqual(transfers.filter(isChunk), [], `the home page needs no chunk:\n${listing}`);
    // No session hint cookie, no silent refresh (it could only answer 401).
    assert.ok(!transfers.some((t) => t.path === '/api/v1/auth/refresh'), `a guest asked for a refresh:\n${listing}`);
    assert.ok(total <= FIRST_SCREEN_GUARD,
      `the first screen of a guest took ${total} B, over the guard of ${FIRST_SCREEN_GUARD} B:\n${listing}`);
    const module = transfers.find(isMainModule);
    assert.ok(['br', 'gzip'].includes(module.encoding), `the module came ${module.encoding || 'uncompressed'}`);
    await s.shot('home');

    // The login page is in the shell; its certificate tab is a chunk of its own.
    await page.click('header a[href="/login"]');
    await expectText(page, 'h1', 'Вход');
    await page.waitForLoadState('networkidle');
    assert.deepEqual(transfers.filter(isChunk), [], 'the login page needs no chunk');
    await page.click('#tab-certificate');
    await eventually(() => transfers.some(isChunk), () => 'the certificate tab fetched no chunk');
    const afterTab = transfers.filter(isChunk).length;
    await s.shot('certificate-tab');

    // Registration is a lazily loaded page: its chunk arrives on the first visit.
    await page.click('a[href="/register"]');
    await expectText(page, 'h1', 'Регистрация');
    await eventually(() => transfers.filter(isChunk).length > afterTab,
      () => 'the registration page fetched no chunk of its own');
    await s.shot('register');

    // A second visit fetches nothing again.
    const before = transfers.length;
    await page.goBack();
    await expectPath(page, '/login');
    await page.goForward();
    await expectText(page, 'h1', 'Регистрация');
    await page.waitForLoadState('networkidle');
    assert.deepEqual(transfers.slice(before).filter((t) => isChunk(t) || isMainModule(t)), [],
      'a page visited before fetched its chunk again');
  });
});

test("a lazily loaded page's address fetches its packs beside the shell, once each", async () => {
  const { server, browser } = env;
  await withPage(browser, server, 'loading-deep-link', { viewport: PHONE }, async (s) => {
    const { page } = s;
    const transfers = recordTransfers(page);
    await page.goto('/register');
    await expectText(page, 'h1', 'Регистрация');
    await page.waitForLoadState('networkidle');
    const listing = transfers.map((t) => `${t.path} ${t.bytes} B ${t.encoding}`).join('\n');
    const packs = transfers.filter(isChunk).map((t) => t.path.replace(/.*\//, ''));
    // The boot script preloads them and the loader's own fetch takes the
    // preloaded answer: two requests for one pack would mean it did not.
    assert.deepEqual([...new Set(packs)].sort(), packs.slice().sort(), `a pack fetched twice:\n${listing}`);
    assert.ok(packs.some((p) => p.startsWith('account_area_')), `no pack of the account pages:\n${listing}`);
    assert.ok(packs.length <= 2, `more than common and the page's own pack:\n${listing}`);
    assert.ok(packs.every((p) => p.endsWith('.wasmpack')), `a module not from a pack:\n${listing}`);
    await s.shot('register-deep-link');
  });
});

/** Every route of app.rs, visited once; `:id` routes with an id that does not exist. */
const ROUTES = [
  '/', '/register', '/confirm-email', '/second-factor-recovery', '/login', '/reset-password',
  '/choose-role', '/profile', '/sessions', '/orders', '/orders/new', '/orders/search',
  '/orders/00000000-0000-4000-8000-000000000000/edit', '/orders/00000000-0000-4000-8000-000000000000',
  '/engineer-profile', '/engineers', '/engineers/00000000-0000-4000-8000-000000000000',
  '/employees', '/moderation', '/certificates', '/certificate-applications',
  '/certificate-applications/00000000-0000-4000-8000-000000000000', '/certificate-claim',
  '/signatures', '/notification-settings', '/organisation', '/organisation/employees',
  '/organisation/audit', '/invitation', '/clients', '/clients/new',
  '/clients/requests/00000000-0000-4000-8000-000000000000',
  '/clients/00000000-0000-4000-8000-000000000000', '/client-request', '/deals',
  '/deals/00000000-0000-4000-8000-000000000000',
];

test('every route renders after splitting', async () => {
  const { server, browser } = env;
  const email = uniqueEmail('routes');
  await server.registerConfirmed(email, PASSWORD);
  await withPage(browser, server, 'routes', { viewport: DESKTOP }, async (s) => {
    const { page } = s;
    await logIn(page, email);
    for (const route of ROUTES) {
      await page.goto(route);
      // Rendered: the page put its own content into <main> (a heading, a
      // form, or the notice of a page this account may not open), not the
      // router's "not found".
      await eventually(async () => (await page.locator('main').innerText()).trim().length > 0
        && (await page.locator('.route-loading-bar').count()) === 0,
      () => `${route} rendered nothing`, 15_000);
      const text = await page.locator('main').innerText();
      assert.ok(!text.includes('Страница не найдена'), `${route} fell through to "not found":\n${text}`);
      await s.shot(route.replaceAll('/', '_').replaceAll(/[^a-z_-]/g, '') || 'home');
    }
  });
});
