// The marketplace (docs/orders.md) in two browsers: a customer creates and
// publishes an order in the form, an engineer finds it with the search
// filters and responds, the customer selects him; and the offer path, where
// a refusal (the engineer does not accept offers) is shown to the customer,
// and the engineer asks in the order's chat before he accepts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uniqueEmail, PASSWORD } from '../lib/server.js';
import { logIn, withPage, expectPath, eventually, DESKTOP } from '../lib/browser.js';
import { useServerAndBrowser } from '../lib/harness.js';

const env = useServerAndBrowser();
const WORK = 'land_plot_boundary_clarification';

/** The order id in a card's URL. */
function orderIdOf(page) {
  const match = /\/orders\/([0-9a-f-]{36})$/.exec(new URL(page.url()).pathname);
  assert.ok(match, `not an order card: ${page.url()}`);
  return match[1];
}

test('a customer publishes, an engineer finds it by filters and responds, the customer selects him', async () => {
  const { server, browser } = env;
  const customerEmail = uniqueEmail('customer');
  await server.registerConfirmed(customerEmail, PASSWORD, 'Петрова Анна Сергеевна');
  const engineer = await server.engineer(uniqueEmail('engineer'), { regions: ['50', '77'] });

  let orderId;
  await withPage(browser, server, 'market-customer', { viewport: DESKTOP }, async (s) => {
    const { page } = s;
    await logIn(page, customerEmail, 'customer');
    await page.goto('/orders');
    await page.click('[data-testid=new-order]');
    await expectPath(page, '/orders/new');
    await page.locator('#region_code option[value="50"]').waitFor({ state: 'attached' });

    // A bad cadastral number is caught beside the field.
    await page.fill('#title', 'Межевание участка в Раменском');
    await page.check(`#work_types-${WORK}`);
    await page.fill('#cadastral_numbers', '50:23:12');
    await page.selectOption('#region_code', '50');
    await page.fill('#address', 'Московская обл., г. Раменское, ул. Серова');
    await page.check('#deadline-kind-days', { force: true });
    await page.fill('#deadline_days', '30');
    await page.fill('#price', '25000');
    await page.check('#prepayment_required', { force: true });
    await page.fill('#prepayment_percent', '30');
    await page.click('#save-publish');
    await page.locator('[data-field-error=cadastral_numbers]:visible').waitFor();
    await s.shot('order-form-error');

    await page.fill('#cadastral_numbers', '50:23:0040312:118');
    await page.click('#save-publish');
    await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/, { timeout: 15_000 });
    orderId = orderIdOf(page);
    await page.locator('[data-testid=order-card]:visible').waitFor();
    await s.shot('order-published');
  });

  const seen = await server.apiOk('GET', `/orders/${orderId}`, undefined, { token: engineer.token });
  assert.equal(seen.body.status, 'executor_selection');
  assert.deepEqual(seen.body.cadastral_numbers, ['50:23:0040312:118']);
  assert.deepEqual(seen.body.work_types, [WORK]);

  await withPage(browser, server, 'market-engineer', { viewport: DESKTOP }, async (s) => {
    const { page } = s;
    await logIn(page, engineer.email, 'engineer');
    await page.goto('/orders/search');
    await page.locator('#search-region option[value="50"]').waitFor({ state: 'attached' });
    await page.selectOption('#search-region', '50');
    await page.fill('#search-address', 'серова');
    await page.check('#search-with-prepayment', { force: true });
    await page.check(`#search-work-${WORK}`, { force: true });
    await page.click('#search-apply');
    const link = page.locator(`[data-testid=order-list] a[href="/orders/${orderId}"]`).first();
    await link.waitFor();
    await s.shot('search-found');

    // A filter that excludes it empties the list.
    await page.selectOption('#search-region', '77');
    await page.click('#search-apply');
    await page.locator('[data-testid=order-list-empty]:visible').waitFor();
    await page.selectOption('#search-region', '50');
    await page.click('#search-apply');
    await link.waitFor();

    await link.click();
    await page.waitForURL(`**/orders/${orderId}`);
    await page.locator('[data-testid=respond-form]:visible').waitFor();
    await page.fill('#response-price', '23000');
    await page.fill('#response-days', '20');
    await page.fill('#response-message', 'Выезд на участок в течение недели.');
    await page.click('[data-testid=respond-form] button[type=submit]');
    await eventually(async () => {
      const res = await server.apiOk('GET', `/orders/${orderId}/responses`, undefined, { token: engineer.token });
      assert.equal(res.body.items.length, 1);
      assert.equal(res.body.items[0].price, 23000);
      return true;
    }, 'the response');
    await s.shot('responded');
  });

  await withPage(browser, server, 'market-select', { viewport: DESKTOP }, async (s) => {
    const { page } = s;
    await logIn(page, customerEmail, 'customer');
    await page.goto(`/orders/${orderId}`);
    const select = page.locator('[data-testid=select-response]').first();
    await select.waitFor();
    await s.shot('responses');
    await select.click();
    await eventually(async () => {
      const res = await server.apiOk('GET', `/orders/${orderId}`, undefined, { token: engineer.token });
      assert.equal(res.body.status, 'contract_signing');
      assert.equal(res.body.executor_id, engineer.id);
      return true;
    }, 'the selection');
    await page.locator('[data-testid=select-response]').first().waitFor({ state: 'detached' });
    await s.shot('selected');
  });

  // The executor makes the contract in the form: the amounts follow the
  // price and the order's advance percent; the version awaits his signature.
  const deadline = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
  await withPage(browser, server, 'contract-make', { viewport: DESKTOP }, async (s) => {
    const { page } = s;
    await logIn(page, engineer.email, 'engineer');
    // The home screen says what awaits him: the contract of this order.
    await page.goto('/');
    const task = page.locator(`[data-testid=task][data-task=make_contract][data-order-id="${orderId}"]`);
    await task.waitFor();
    await s.shot('home-task');
    await task.locator('a').click();
    await expectPath(page, `/orders/${orderId}`);
    await page.locator('[data-testid=contract-form]:visible').waitFor();
    await page.fill('#contract-signatory-name', 'Кадастров Пётр Сергеевич');
    await page.fill('#contract-basis', 'квалификационного аттестата № 50-11-123');
    await page.fill('#contract-deadline', deadline);
    await page.fill('#contract-price', '23 000,50');
    await eventually(async () => /6\s900,15.*16\s100,35/.test(await page.innerText('[data-testid=contract-amounts]')), 'the amounts');
    await s.shot('contract-form');
    await page.click('[data-testid=contract-form] button[type=submit]');
    await page.locator('[data-testid=contract-version][data-status=awaiting_engineer]').waitFor();
    await page.locator('[data-testid=contract-sign]:visible').waitFor();
    await s.shot('contract-made');
  });
  const versions = await server.apiOk('GET', `/orders/${orderId}/contracts`, undefined, { token: engineer.token });
  assert.equal(versions.body.items.length, 1);
  assert.equal(versions.body.items[0].terms.price_kopecks, 2_300_050);
  assert.equal(versions.body.items[0].terms.advance_kopecks, 690_015);

  await withPage(browser, server, 'contract-customer', { viewport: DESKTOP }, async (s) => {
    const { page } = s;
    await logIn(page, customerEmail, 'customer');
    await page.goto(`/orders/${orderId}`);
    await page.locator('[data-testid=contract-version][data-status=awaiting_engineer]').waitFor();
    assert.equal(await page.locator('[data-testid=contract-form]:visible').count(), 0);
    assert.equal(await page.locator('[data-testid=contract-sign]:visible').count(), 0);
    await s.shot('contract-awaits-executor');
  });
});

test('an offer refused by the rules is explained; an accepted one assigns the engineer', async () => {
  const { server, browser } = env;
  const customerEmail = uniqueEmail('offerer');
  await server.registerConfirmed(customerEmail, PASSWORD, 'Сидоров Олег Павлович');
  const busy = await server.engineer(uniqueEmail('busy'), { acceptOffers: false });
  const keen = await server.engineer(uniqueEmail('keen'));
  const tokens = await server.login(customerEmail, PASSWORD);
  const token = tokens.access_token;
  const created = await server.apiOk('POST', '/orders', {
    title: 'Вынос границ',
    work_types: [WORK],
    region_code: '50',
    address: 'Московская обл., г. Жуковский, ул. Чкалова',
    deadline_days: 14,
  }, { token }, 201);
  const orderId = created.body.id;
  await server.apiOk('POST', `/orders/${orderId}/publish`, {}, { token });

  await withPage(browser, server, 'offer-customer', { viewport: DESKTOP }, async (s) => {
    const { page } = s;
    await logIn(page, customerEmail, 'customer');
    await page.goto(`/orders/${orderId}`);
    // The order card sends the customer to the engineer search for this order.
    await page.click('[data-testid=offer-find-engineer]');
    await page.waitForURL(`**/engineers?offer_order=${orderId}`);
    await page.locator('[data-testid=offer-banner]:visible').waitFor();
    const offerTo = (who) => page.locator(`[data-testid=engineer-card][data-engineer-id="${who.id}"] [data-testid=offer-engineer]`);
    const resultOf = (who) => page.locator(`[data-testid=engineer-card][data-engineer-id="${who.id}"] [data-testid=offer-result]`);
    await offerTo(busy).click();
    await eventually(async () => {
      const text = await resultOf(busy).innerText();
      assert.match(text, /не принимает предложения/);
      return true;
    }, 'the refusal shown');
    await s.shot('offer-refused');

    await offerTo(keen).click();
    await eventually(async () => {
      assert.equal(await resultOf(keen).getAttribute('role'), 'status');
      return true;
    }, 'the offer sent');
    await s.shot('offer-sent');
  });

  await withPage(browser, server, 'offer-engineer', { viewport: DESKTOP }, async (s) => {
    const { page } = s;
    await logIn(page, keen.email, 'engineer');
    await page.goto(`/orders/${orderId}`);
    const accept = page.locator('[data-testid=accept-offer]').first();
    await accept.waitFor();
    // Before accepting, he asks the customer in the order's chat (his own
    // thread with her, open while the offer is pending).
    await page.locator('[data-testid=chat-form]:visible').waitFor();
    await page.fill('#chat-text', 'Есть ли схема участка?');
    await page.click('[data-testid=chat-send]');
    await page.locator('[data-testid=chat-message]', { hasText: 'Есть ли схема участка?' }).waitFor();
    await s.shot('offer-received');
    await accept.click();
    await eventually(async () => {
      const res = await server.apiOk('GET', `/orders/${orderId}`, undefined, { token: keen.token });
      assert.equal(res.body.status, 'contract_signing');
      assert.equal(res.body.executor_id, keen.id);
      return true;
    }, 'the accepted offer');
    // What was asked is the start of the executor's chat.
    const chat = await server.apiOk('GET', `/orders/${orderId}/messages`, undefined, { token });
    assert.deepEqual(chat.body.items.map((m) => m.text), ['Есть ли схема участка?']);
  });
});

test('leaving the order list before its answer arrives breaks nothing', async () => {
  const { server, browser } = env;
  const email = uniqueEmail('hasty');
  await server.registerConfirmed(email, PASSWORD, 'Быстрова Вера Олеговна');
  await withPage(browser, server, 'list-left-early', { viewport: DESKTOP }, async (s) => {
    const { page } = s;
    await logIn(page, email, 'customer');
    // The list's answer is held back until the user has gone to the form:
    // the list page is gone when it lands (it used to panic then).
    const myOrders = (url) => new URL(url).pathname === '/api/v1/orders';
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await page.route(myOrders, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto('/orders');
    await page.click('[data-testid=new-order]');
    await expectPath(page, '/orders/new');
    await page.locator('#title').waitFor();
    const answered = page.waitForResponse((res) => myOrders(res.url()) && res.request().method() === 'GET');
    release();
    await answered;
    // Time for the page to take the answer (the old list's handler runs now).
    await page.waitForTimeout(500);
    await page.unroute(myOrders);
    // The form still works after the late answer.
    await page.fill('#title', 'Вынос границ');
    await s.shot('form-after-late-list');
  });
});
