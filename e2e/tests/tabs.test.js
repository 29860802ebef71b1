// Several tabs share the refresh cookie. Reloading them at the same moment
// (a restored browser session) makes concurrent refreshes with one cookie:
// the losers get `refresh_token_superseded`, retry with the newer cookie,
// and every tab stays logged in — the session is not mistaken for stolen.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uniqueEmail, PASSWORD } from '../lib/server.js';
import { openPage, expectText, expectPath } from '../lib/browser.js';
import { useServerAndBrowser } from '../lib/harness.js';

const env = useServerAndBrowser();

test('tabs reloaded at the same moment all stay logged in', async () => {
  const { server, browser } = env;
  const email = uniqueEmail('tabs');
  await server.registerConfirmed(email, PASSWORD);

  const first = await openPage(browser, server, 'tabs');
  const log = [];
  try {
    const { page, context } = first;
    await page.goto('/login');
    await page.fill('#email', email);
    await page.fill('#password', PASSWORD);
    await page.click('form button[type=submit]:visible');
    await expectPath(page, '/');

    page.on('response', (r) => { if (r.url().includes('/api/')) log.push(`tab0 ${r.status()} ${r.url()}`); });
    const tabs = [page];
    for (let i = 0; i < 3; i += 1) {
      const tab = await context.newPage();
      tab.on('response', (r) => { if (r.url().includes('/api/')) log.push(`tab${i + 1} ${r.status()} ${r.url()}`); });
      await tab.goto(page.url());
      tabs.push(tab);
    }
    for (let round = 0; round < 2; round += 1) {
      await Promise.all(tabs.map((tab) => tab.reload()));
      for (const tab of tabs) {
        await expectText(tab, '[data-testid=acting-role]', 'заказчик');
      }
    }
    await first.shot('after-concurrent-reloads');
    const sessions = await tabs[0].evaluate(async () => {
      const r = await fetch('/api/v1/auth/refresh', { method: 'POST', headers: { 'x-token-transport': 'cookie' } });
      return r.status;
    });
    assert.equal(sessions, 200, 'the session is alive after the concurrent refreshes');
  } catch (e) {
    console.log(log.join('\n'));
    throw e;
  } finally {
    await first.close();
  }
});
