// A session revoked from outside (logout everywhere from another device):
// the next call of the page fails to refresh, and the app lands on the login
// page saying that the session has ended.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uniqueEmail, PASSWORD } from '../lib/server.js';
import {
  withPage, expectText, expectPath, DESKTOP,
} from '../lib/browser.js';
import { useServerAndBrowser } from '../lib/harness.js';

const env = useServerAndBrowser();

test('a session revoked elsewhere ends on the login page with a notice', async () => {
  const { server, browser } = env;
  const email = uniqueEmail('revoked');
  await server.registerConfirmed(email, PASSWORD);

  await withPage(browser, server, 'session-revoked', { viewport: DESKTOP }, async (s) => {
    const { page } = s;
    await page.goto('/login');
    await page.fill('#email', email);
    await page.fill('#password', PASSWORD);
    await page.click('form button[type=submit]:visible');
    await expectPath(page, '/');
    await expectText(page, '[data-testid=acting-role]', 'заказчик');
    await s.shot('logged-in');

    // Another device logs in and ends every session of the account.
    const other = await server.login(email, PASSWORD);
    await server.apiOk('POST', '/auth/logout-all', undefined, { token: other.access_token });
    const probe = await server.api('GET', '/me', undefined, { token: other.access_token });
    assert.equal(probe.status, 401, 'logout-all should end the calling session too');

    // In the page: open the profile (client-side navigation); its GET /me is
    // refused, the refresh is refused, the app goes to login and says why.
    await page.click('header a[href="/profile"]');
    await expectPath(page, '/login');
    await expectText(page, '[data-testid=session-ended]', 'Сеанс завершён');
    await expectText(page, 'h1', 'Вход');
    assert.equal(await page.locator('#acting-role').count(), 0);
    await expectText(page, 'header', 'Войти');
    await s.shot('session-ended');

    // A reload does not bring the session back.
    await page.goto('/profile');
    await expectPath(page, '/login');
    await expectText(page, 'h1', 'Вход');
    await s.shot('after-reload');
  });
});
