// Four tabs of one browser share the refresh cookie, and every refresh replaces
// it (docs/adr/0001-refresh-cookie.md, "Several tabs"). Round after round, the
// four refresh at once: all reloaded together; then one tab's refresh has been
// carried out by the server — the token rotated — but its answer (the
// Set-Cookie with the new token) is still on its way when all four are
// reloaded, so the page that asked is gone before the answer arrives; then
// the same with real timing, the four reloaded the moment that tab sends its
// refresh. After every step each tab is still logged in to the same session,
// and at the end the server still knows it and never saw a refresh token
// reused.
//
// The answer is held by a small proxy between the browser and the server
// (`refreshProxy`): the browser's own network stack, cookie jar and page
// lifecycle are what is tested, only the answer travels slowly, as on a slow
// network. On loopback the server answers before a reload has unloaded the
// page, so real timing alone practically never loses an answer; the held one
// is lost every time the request does not outlive its page. Before the
// refresh was sent with `keepalive`, every run failed in its first rounds:
// all four tabs ended on the login page.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { uniqueEmail, freePort, PASSWORD } from '../lib/server.js';
import {
  withPage, expectPath, expectValue, eventually, logIn, DESKTOP,
} from '../lib/browser.js';
import { useServerAndBrowser } from '../lib/harness.js';

const env = useServerAndBrowser();

const TABS = 4;
const ROUNDS = 8;
/** How long the proxy holds the held refresh's answer after the server gave it. */
const HOLD_MS = 400;

/**
 * An HTTP proxy on a free loopback port in front of `target`. Everything passes
 * through untouched, except that after `holdNextRefresh(ms)` the answer to the
 * next `POST /api/v1/auth/refresh` reaches the browser `ms` after the server
 * gave it; the returned promise resolves as soon as the server has answered
 * (the token is rotated) with its status.
 */
async function refreshProxy(target) {
  const upstream = new URL(target);
  let nextHold = null;
  const sockets = new Set();
  const proxy = http.createServer((req, res) => {
    const hold = req.method === 'POST' && req.url.startsWith('/api/v1/auth/refresh') ? nextHold : null;
    if (hold) nextHold = null;
    const forward = http.request({
      host: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: req.headers,
    }, (answer) => {
      const pass = () => {
        if (res.destroyed) {
          // The browser went away (the page that asked was unloaded): the answer is lost.
          hold?.lost.push(answer.statusCode);
          answer.resume();
          return;
        }
        res.writeHead(answer.statusCode, answer.rawHeaders);
        answer.pipe(res);
      };
      if (hold) {
        hold.answered(answer.statusCode);
        setTimeout(pass, hold.ms);
      } else {
        pass();
      }
    });
    forward.on('error', () => res.destroy());
    res.on('close', () => forward.destroy());
    req.pipe(forward);
  });
  proxy.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await freePort();
  await new Promise((resolve) => proxy.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    holdNextRefresh(ms) {
      let answered;
      const promise = new Promise((resolve, reject) => {
        answered = resolve;
        setTimeout(() => reject(new Error('no refresh reached the server within 10 s')), 10_000).unref();
      });
      nextHold = { ms, answered, lost: [] };
      return { answered: promise, lost: nextHold.lost };
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    },
  };
}

/** What a tab shows once its session is settled: the session it lists as its own, or the login page. */
async function sessionOf(page, label) {
  return eventually(() => page.evaluate(() => {
    if (window.location.pathname === '/login') return { logged: false };
    const current = document.querySelectorAll('ul.sessions li.current');
    if (current.length !== 1) return null;
    return {
      logged: true,
      id: current[0].dataset.session,
      listed: document.querySelectorAll('ul.sessions li[data-session]').length,
      header: document.querySelectorAll('header a[href="/sessions"]').length,
    };
  }), `${label}: neither the sessions page nor the login page`, 15_000);
}

test('four tabs refreshing at once, also while a refresh is on its way, stay logged in', async () => {
  const { server, browser } = env;
  const email = uniqueEmail('tabs');
  await server.registerConfirmed(email, PASSWORD);
  const proxy = await refreshProxy(server.url);
  try {
    await withPage(browser, server, 'session-tabs', { viewport: DESKTOP, baseURL: proxy.url }, async (s) => {
      const started = Date.now();
      await logIn(s.page, email);
      const tabs = [s.page];
      for (let i = 1; i < TABS; i += 1) {
        const page = await s.context.newPage();
        page.on('console', (msg) => s.console.push(`[tab ${i}] [${msg.type()}] ${msg.text()}`));
        page.on('pageerror', (err) => s.errors.push(`[tab ${i}] pageerror: ${err.message}`));
        tabs.push(page);
      }
      let refreshes = 0;
      s.context.on('request', (req) => {
        if (req.url().endsWith('/api/v1/auth/refresh')) refreshes += 1;
      });
      await Promise.all(tabs.map((page) => page.goto('/sessions')));
      const first = await sessionOf(tabs[0], 'tab 0');
      assert.ok(first.logged, 'tab 0 should be logged in after the login');
      const sessionId = first.id;
      await s.shot('four-tabs');

      const expectAllLoggedIn = async (what) => {
        const seen = await Promise.all(tabs.map((page, i) => sessionOf(page, `tab ${i}`)));
        seen.forEach((state, i) => {
          assert.ok(state.logged, `${what}: tab ${i} was logged out (it is at ${tabs[i].url()})`);
          assert.equal(state.id, sessionId, `${what}: tab ${i} lists another session as its own`);
          assert.equal(state.listed, 1, `${what}: tab ${i} lists ${state.listed} sessions`);
          assert.equal(state.header, 1, `${what}: tab ${i}'s header is not the logged-in one`);
        });
      };
      const reloadAll = () => Promise.all(tabs.map((page) => page.reload()));

      const perRound = [];
      for (let round = 1; round <= ROUNDS; round += 1) {
        const before = refreshes;
        const k = round % TABS;

        // All four reloaded at once: four new pages, each needing a token.
        await reloadAll();
        await expectAllLoggedIn(`round ${round}, four reloaded at once`);

        // Tab k's refresh has rotated the token on the server, its answer is
        // still on its way, and all four tabs reload.
        const held = proxy.holdNextRefresh(HOLD_MS);
        await tabs[k].reload();
        assert.equal(await held.answered, 200, `round ${round}: the held refresh should have succeeded`);
        await reloadAll();
        await expectAllLoggedIn(`round ${round}, reloaded while tab ${k}'s refresh answer was on its way`);

        // The same with real timing: the four reloaded the moment tab k sends its refresh.
        const sent = tabs[k].waitForRequest((req) => req.url().endsWith('/api/v1/auth/refresh'));
        await tabs[k].reload({ waitUntil: 'commit' });
        await sent;
        await reloadAll();
        await expectAllLoggedIn(`round ${round}, reloaded the moment tab ${k} sent its refresh`);

        perRound.push(refreshes - before);
      }
      await s.shot('after-rounds');

      // The session is alive on the server: it was never refused as reused,
      // a reload stays in, and another device's list has it.
      assert.doesNotMatch(server.log, /refresh token reused/, 'the server saw a refresh token reused');
      await tabs[0].goto('/sessions');
      const last = await sessionOf(tabs[0], 'tab 0');
      assert.ok(last.logged && last.id === sessionId, 'a last reload should stay in the same session');
      const other = await server.login(email, PASSWORD);
      const listed = await server.apiOk('GET', '/auth/sessions', undefined, { token: other.access_token });
      assert.ok(listed.body.items.some((item) => item.id === sessionId),
        `GET /auth/sessions should list the tabs' session ${sessionId}: ${JSON.stringify(listed.body.items)}`);
      s.console.push(`[test] ${ROUNDS} rounds in ${Date.now() - started} ms; refresh requests per round: ${perRound.join(' ')}`);
    });
  } finally {
    await proxy.close();
  }
});

test('a role switch and a logout in one tab are followed by the other tabs', async () => {
  const { server, browser } = env;
  const email = uniqueEmail('tabs-out');
  await server.registerConfirmed(email, PASSWORD);
  await server.staff(email, PASSWORD, 'moderator');
  await withPage(browser, server, 'session-tabs-follow', { viewport: DESKTOP }, async (s) => {
    await logIn(s.page, email, 'customer');
    await expectValue(s.page, '#acting-role', 'customer');
    const others = [];
    for (let i = 1; i < 3; i += 1) {
      const page = await s.context.newPage();
      page.on('pageerror', (err) => s.errors.push(`[tab ${i}] pageerror: ${err.message}`));
      await page.goto('/profile');
      await expectValue(page, '#acting-role', 'customer');
      others.push(page);
    }

    await s.page.selectOption('#acting-role', 'moderator');
    await expectValue(s.page, '#acting-role', 'moderator');
    for (const page of others) await expectValue(page, '#acting-role', 'moderator');
    // The other tabs act with the switched token: a reload there (a refresh) keeps the role.
    await others[0].reload();
    await expectValue(others[0], '#acting-role', 'moderator');
    await s.shot('role-followed');

    await s.page.click('header button:has-text("Выйти")');
    await expectPath(s.page, '/login');
    for (const page of others) {
      await expectPath(page, '/login');
      assert.equal(await page.locator('#acting-role').count(), 0);
      assert.equal(await page.locator('[data-testid=session-ended]').count(), 0,
        'a logout in another tab is no ended session');
    }
    await s.shot('logged-out-everywhere');
  });
});
