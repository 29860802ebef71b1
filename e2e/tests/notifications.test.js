// Notifications in the browser (docs/notifications.md): an engineer responds to a
// customer's order; the customer's bell counts it, the panel lists it
// (newest first) and leads to the order, reading clears the badge; the
// settings page switches e-mail off for responses and keeps it.
// The badge follows the live event stream (GET /events), no reload. And
// the order chat in two browsers: a message lights the engineer's chat
// badge live, opening the chat clears it, answers (text and a file with
// progress) arrive on the customer's open card without a reload.

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

test('the order chat: messages both ways live, the chat badge, a file', async () => {
  const { server, browser } = env;
  const customerEmail = uniqueEmail('chat-customer');
  await server.registerConfirmed(customerEmail, PASSWORD, 'Беседина Мария Ивановна');
  const engineer = await server.engineer(uniqueEmail('chat-engineer'), { fullName: 'Ответов Пётр Сергеевич' });
  const { access_token: token } = await server.login(customerEmail, PASSWORD);
  const created = await server.apiOk('POST', '/orders', {
    title: 'Вынос границ в натуру',
    work_types: ['land_plot_boundary_clarification'],
    region_code: '50',
    address: 'Московская обл., г. Жуковский, ул. Чкалова',
    deadline_days: 20,
  }, { token }, 201);
  const orderId = created.body.id;
  await server.apiOk('POST', `/orders/${orderId}/publish`, {}, { token });
  const response = await server.apiOk('POST', `/orders/${orderId}/responses`, { price: 15000, deadline_days: 10, message: 'Готов' }, { token: engineer.token }, 201);
  await server.apiOk('POST', `/responses/${response.body.id}/select`, {}, { token });

  await withPage(browser, server, 'chat-engineer', { viewport: DESKTOP }, async (e) => {
    await logIn(e.page, engineer.email, 'engineer');
    const chatBadge = e.page.locator('[data-badge=chat] .count');
    await eventually(async () => (await chatBadge.innerText()) === '0', 'no chat messages yet');

    await withPage(browser, server, 'chat-customer', { viewport: DESKTOP }, async (c) => {
      await logIn(c.page, customerEmail, 'customer');
      await c.page.goto(`/orders/${orderId}`);
      await c.page.locator('[data-testid=chat-form]:visible').waitFor();
      await c.page.fill('#chat-text', 'Добрый день! Когда сможете выехать?');
      await c.page.click('[data-testid=chat-send]');
      await c.page.locator('[data-testid=chat-message]', { hasText: 'Когда сможете выехать' }).waitFor();

      // Live on the engineer's header, then read by opening the order.
      await eventually(async () => (await chatBadge.innerText()) === '1', 'the engineer\'s chat badge counts it live', 15_000);
      await e.page.goto(`/orders/${orderId}`);
      await e.page.locator('[data-testid=chat-message]', { hasText: 'Когда сможете выехать' }).waitFor();
      await eventually(async () => (await chatBadge.innerText()) === '0', 'opening the chat clears the badge', 15_000);
      await e.shot('chat-read');

      // The answer and a file arrive on the customer's open card.
      await e.page.fill('#chat-text', 'Здравствуйте! В четверг с 10:00.');
      await e.page.click('[data-testid=chat-send]');
      await c.page.locator('[data-testid=chat-message]', { hasText: 'В четверг с 10:00' }).waitFor({ timeout: 15_000 });
      await e.page.setInputFiles('#chat-file', { name: 'схема.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(256 * 1024, 0x25)]) });
      await c.page.locator('[data-testid=chat-message] a', { hasText: 'схема.pdf' }).waitFor({ timeout: 15_000 });
      await c.shot('chat');
    });
  });
});
