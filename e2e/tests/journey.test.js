// The whole life of an order in two browsers, a customer's and an
// engineer's, each holding its own key issued by the platform CA: the
// contract made and signed in the browser by both, the prepayment invoice
// paid and confirmed, the results delivered and accepted, the registration
// outcome sent, the act made and signed by both, the final invoice paid and
// confirmed, the engineer rated. A screenshot at each status
// (e2e/artifacts/journey-*). The data a party types elsewhere (the
// certificate application, the order) goes through the API.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uniqueEmail, randomSnils, randomPhone, PASSWORD } from '../lib/server.js';
import { logIn, withPage, eventually, DESKTOP } from '../lib/browser.js';
import { useServerAndBrowser } from '../lib/harness.js';
import { approvedApplication, issueInBrowser } from '../lib/certificates.js';

const env = useServerAndBrowser();

async function orderStatus(server, orderId, token) {
  return (await server.apiOk('GET', `/orders/${orderId}`, undefined, { token })).body.status;
}

async function expectStatus(server, orderId, token, status) {
  await eventually(async () => (await orderStatus(server, orderId, token)) === status, () => `the order in ${status}`);
}

/** Signs the version shown in `<kind>-sign` with this browser's key. */
async function signInBrowser(page, kind) {
  const panel = page.locator(`[data-testid=${kind}-sign]:visible`);
  await panel.waitFor();
  const sign = panel.locator('[data-testid=sign]');
  await eventually(async () => !(await sign.isDisabled()), `${kind}: the sign button enabled`);
  await sign.click();
}

test('an order from publication to rating, signed in two browsers', async () => {
  const { server, browser } = env;
  const operatorEmail = uniqueEmail('journey-ca');
  await server.staff(operatorEmail, PASSWORD, 'ca_operator');
  const operatorToken = (await server.login(operatorEmail, PASSWORD)).access_token;

  const customerEmail = uniqueEmail('journey-customer');
  const customer = { fullName: 'Петрова Анна Сергеевна', snils: randomSnils(), phone: randomPhone() };
  await server.registerConfirmed(customerEmail, PASSWORD, customer.fullName);
  const token = (await server.login(customerEmail, PASSWORD)).access_token;
  await server.apiOk('PATCH', '/me', { snils: customer.snils }, { token });
  await server.confirmPhone(token, customer.phone);

  const engineer = await server.engineer(uniqueEmail('journey-engineer'));
  const engineerData = { fullName: 'Кадастров Пётр Сергеевич', snils: engineer.snils, phone: randomPhone() };
  await server.confirmPhone(engineer.token, engineerData.phone);

  const created = await server.apiOk('POST', '/orders', {
    title: 'Межевание участка под ИЖС',
    work_types: ['land_plot_boundary_clarification'],
    region_code: '50',
    address: 'Московская обл., г. Раменское, ул. Серова',
    cadastral_numbers: ['50:23:0040312:118'],
    deadline_days: 30,
    price: 25000,
    prepayment_required: true,
    prepayment_percent: 30,
    registration: 'gku',
  }, { token }, 201);
  const orderId = created.body.id;
  await server.apiOk('POST', `/orders/${orderId}/publish`, {}, { token });
  const response = await server.apiOk('POST', `/orders/${orderId}/responses`,
    { price: 25000, deadline_days: 30 }, { token: engineer.token }, 201);
  await server.apiOk('POST', `/responses/${response.body.id}/select`, {}, { token });

  const customerApplication = await approvedApplication(server, token, customer, operatorToken);
  const engineerApplication = await approvedApplication(server, engineer.token, engineerData, operatorToken);

  await withPage(browser, server, 'journey-engineer', { viewport: DESKTOP }, async (e) => {
    await withPage(browser, server, 'journey-customer', { viewport: DESKTOP }, async (c) => {
      await logIn(e.page, engineer.email, 'engineer');
      await issueInBrowser(server, e.page, engineerApplication, engineerData.phone);
      await logIn(c.page, customerEmail, 'customer');
      await issueInBrowser(server, c.page, customerApplication, customer.phone);
      const card = `/orders/${orderId}`;

      // contract_signing: the engineer makes the contract and signs it.
      await e.page.goto(card);
      await e.page.locator('[data-testid=contract-form]:visible').waitFor();
      await e.page.fill('#contract-signatory-name', engineerData.fullName);
      await e.page.fill('#contract-basis', 'квалификационного аттестата № 50-11-123');
      await e.page.fill('#contract-deadline', new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10));
      await e.page.fill('#contract-price', '25 000');
      await e.page.click('[data-testid=contract-form] button[type=submit]');
      await e.page.locator('[data-testid=contract-version][data-status=awaiting_engineer]').waitFor();
      // The PDF previewed in the page before signing.
      await e.page.click('[data-testid=contract-preview]');
      const frame = e.page.locator('[data-testid=contract-preview-frame] iframe');
      await frame.waitFor();
      assert.match(await frame.getAttribute('src'), /^blob:/);
      // "Print" opens the print dialog of the PDF itself (counted, not shown).
      await eventually(() => frame.evaluate((f) => {
        // Once the PDF is loaded: the frame's first window (about:blank) goes.
        if (!f.contentWindow?.location.href.startsWith('blob:')) return false;
        f.contentWindow.print = () => { f.dataset.printed = String(Number(f.dataset.printed ?? 0) + 1); };
        return true;
      }), 'the preview frame has its window');
      await e.page.click('[data-testid=contract-print]');
      assert.equal(await frame.getAttribute('data-printed'), '1', 'Print prints the previewed PDF');
      await e.shot('contract_signing');
      await signInBrowser(e.page, 'contract');
      await e.page.locator('[data-testid=contract-version][data-status=awaiting_customer]').waitFor();

      // The customer checks and signs: prepayment.
      await c.page.goto(card);
      await signInBrowser(c.page, 'contract');
      await c.page.locator('[data-testid=contract-version][data-status=signed]').waitFor();
      await expectStatus(server, orderId, token, 'prepayment');
      await c.shot('prepayment');

      // The advance: invoice, receipt, confirmation: in_progress.
      await e.page.goto(card);
      await e.page.fill('#invoice-link', 'https://bank.example.ru/pay/1');
      await e.page.click('[data-testid=send-invoice] button[type=submit]');
      await c.page.goto(card);
      await c.page.locator('[data-testid=mark-paid]:visible').waitFor();
      await c.page.fill('#receipt-link', 'https://bank.example.ru/receipt/1');
      await c.page.click('[data-testid=mark-paid] button[type=submit]');
      await eventually(async () => (await server.apiOk('GET', `/orders/${orderId}/invoices`, undefined, { token })).body.items[0].status === 'paid', 'the advance marked paid');
      await e.page.goto(card);
      await e.page.click('[data-testid=confirm-payment]');
      await expectStatus(server, orderId, token, 'in_progress');
      await e.shot('in_progress');

      // The results by a link: acceptance; the customer accepts: registration.
      await e.page.locator('[data-testid=deliver-results]:visible').waitFor();
      await e.page.fill('#result-link', 'https://disk.example.ru/plan');
      await e.page.click('[data-testid=deliver-results] button[type=submit]');
      await expectStatus(server, orderId, token, 'acceptance');
      await c.page.goto(card);
      await c.shot('acceptance');
      await c.page.click('[data-testid=accept-results]');
      await expectStatus(server, orderId, token, 'registration');

      // registration: the cabinet link, the act made and signed by both,
      // the outcome sent: payment.
      await e.page.goto(card);
      await e.page.locator('[data-testid=registry-cabinets] a[href="https://lk.rosreestr.ru/"]').waitFor();
      await e.shot('registration');
      await e.page.click('[data-testid=act-new] button[type=submit]');
      await e.page.locator('[data-testid=act-version][data-status=awaiting_engineer]').waitFor();
      await signInBrowser(e.page, 'act');
      await e.page.locator('[data-testid=act-version][data-status=awaiting_customer]').waitFor();
      await c.page.goto(card);
      await signInBrowser(c.page, 'act');
      await c.page.locator('[data-testid=act-version][data-status=signed]').waitFor();
      await c.shot('act-signed');
      await e.page.goto(card);
      await e.page.fill('#result-link', 'https://rosreestr.example.ru/extract/1');
      await e.page.click('[data-testid=deliver-results] button[type=submit]');
      await expectStatus(server, orderId, token, 'payment');
      await e.shot('payment');

      // The final invoice paid and confirmed: completed (the act is signed).
      await e.page.fill('#invoice-link', 'https://bank.example.ru/pay/2');
      await e.page.click('[data-testid=send-invoice] button[type=submit]');
      await c.page.goto(card);
      await c.page.locator('[data-testid=mark-paid]:visible').waitFor();
      await c.page.fill('#receipt-link', 'https://bank.example.ru/receipt/2');
      await c.page.click('[data-testid=mark-paid] button[type=submit]');
      await eventually(async () => (await server.apiOk('GET', `/orders/${orderId}/invoices`, undefined, { token })).body.items[1]?.status === 'paid', 'the final invoice marked paid');
      await e.page.goto(card);
      await e.page.click('[data-testid=confirm-payment]');
      await expectStatus(server, orderId, token, 'completed');
      await e.shot('completed');

      // The customer rates the engineer; his public card shows it.
      await c.page.goto(card);
      await c.page.locator('[data-testid=review-form]:visible').waitFor();
      await c.page.fill('#review-text', 'Всё сделано в срок, документы в порядке.');
      await c.page.click('[data-testid=review-form] button[type=submit]');
      await c.page.locator('[data-testid=review-form]').waitFor({ state: 'hidden' });
      await c.shot('rated');
      const card2 = await server.apiOk('GET', `/engineers/${engineer.id}`);
      assert.equal(card2.body.reviews_count, 1);
      assert.equal(card2.body.rating, 5);
    });
  });
});
