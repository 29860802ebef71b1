// Notifications in the browser (SPEC §8): an engineer responds to a
// customer's order; the customer's bell counts it, the panel lists it
// (newest first) and leads to the order, reading clears the badge; the
// settings page switches e-mail off for responses and keeps it.
// The badge follows the live event stream (GET /events), no reload.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uniqueEmail, PASSWORD } from '../lib/server.js';
import { logIn, withPage, eventually, expectPath, DESKTOP } from '../lib/browser.js';
import { useServerAndBrowser } from '../lib/harness.js';

const env = useServerAndBrowser();

test('a response lights the bell; the panel leads to the order; reading clears it; settings are kept', async () => {
  const { server, browser } = env;
  const customerEmail = uniqueEmail('bell');
  await server.registerConfirmed(customerEmail, PASSWORD, 'Колокольцева Анна Петровна');
  const engineer = await server.engineer(uniqueEmail('responder'), { fullName: 'Откликов Илья Андреевич' });
  const { access_token: token } = await server.login(customerEmail, PASSWORD);
  const created = await server.apiOk('POST', '/orders', {
    title: 'Межевание участка в Раменском',
    work_types: ['land_plot_boundary_clarification'],
    region_code: '50',
    address: 'Московская обл., г. Раменское, ул. Серова',
    deadline_days: 30,
  }, { token }, 201);
  const orderId = created.body.id;
  await server.apiOk('POST', `/orders/${orderId}/publish`, {}, { token });

  await withPage(browser, server, 'bell', { viewport: DESKTOP }, async (s) => {
    const { page } = s;
    await logIn(page, customerEmail);
    const bell = page.locator('[data-badge=notifications]');
    await eventually(async () => (await bell.locator('.count').innerText()) === '0', 'no notifications yet');

    await server.apiOk('POST', `/orders/${orderId}/responses`, { price: 18000, deadline_days: 20, message: 'Сделаю за 20 дней' }, { token: engineer.token }, 201);
    // The worker delivers within a second and the event stream brings the
    // counters: the bell changes without a reload.
    await eventually(async () => (await bell.locator('.count').innerText()) === '1',
      'the bell counts the response live', 15_000);
    await bell.click();
    const item = page.locator('[data-testid=notification-panel] [data-testid=notification][data-kind=response_received]');
    await item.waitFor();
    assert.equal(await item.getAttribute('data-read'), 'false');
    assert.match(await item.innerText(), /Межевание участка в Раменском|отклик/i);
    await s.shot('panel');
    await item.locator('a').click();
    await expectPath(page, `/orders/${orderId}`);
    await eventually(async () => (await bell.locator('.count').innerText()) === '0', 'reading clears the bell');
    await bell.click();
    await eventually(async () => (await item.getAttribute('data-read')) === 'true', 'the notification is read');

    // Settings: e-mail off for responses, kept after a reload.
    await page.click('[data-testid=notification-panel] a[href="/notification-settings"]');
    await expectPath(page, '/notification-settings');
    const email = page.locator('tr[data-kind=response_received] input[name="response_received.email"]');
    await email.waitFor();
    assert.equal(await email.isChecked(), true);
    await email.uncheck();
    await page.click('[data-testid=notification-settings] button[type=submit]');
    await page.locator('[data-testid=settings-saved]:visible').waitFor();
    await page.reload();
    await email.waitFor();
    await eventually(async () => (await email.isChecked()) === false, 'e-mail stays off');
    await s.shot('settings');
  });
  const settings = await server.apiOk('GET', '/me/notification-settings', undefined, { token });
  assert.equal(settings.body.kinds.find((k) => k.kind === 'response_received').email, false);
});
