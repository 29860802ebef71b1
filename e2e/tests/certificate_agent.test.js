// A certificate for a client, filed by the organisation's CA agent
// (docs/certificates.md, "Filed by an organisation's CA agent"). The agent
// opens a client's card that lacks the phone and the passport's issuer: the
// filing is refused and both fields are named beside the card's controls;
// he fills them, saves, and files. The CA operator approves (through the
// API); the card shows the link mailed, and the agent sends it again, which
// makes the first link stop working. The client, on his phone, opens the
// first link (it says it does not work), then the new one: he registers
// from it, confirms his e-mail, opens the link again, logs in, takes the
// application and lands on its page, where he issues the certificate with a
// key made in this browser and the SMS code.
// Screenshots: e2e/artifacts/cert-agent-*.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uniqueEmail, randomSnils, randomPhone, PASSWORD } from '../lib/server.js';
import { logIn, withPage, expectText, expectPath, DESKTOP, PHONE } from '../lib/browser.js';
import { useServerAndBrowser } from '../lib/harness.js';
import { mailedLink, organisationWithClerk } from '../lib/organisations.js';
import { issueInBrowser } from '../lib/certificates.js';

const env = useServerAndBrowser();

/** No wire names, no ids, nothing "coming soon". */
async function assertClean(page, where) {
  const text = await page.locator('main').innerText();
  for (const wire of ['not_sent', 'claimed', 'resend_link', 'passport_issuer', 'validation_failed', 'submitted']) {
    assert.ok(!text.includes(wire), `${where}: the page shows "${wire}":\n${text}`);
  }
  assert.ok(!/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.test(text), `${where}: the page shows an id:\n${text}`);
  assert.ok(!/в разработке|coming soon|under construction/i.test(text), `${where}: "coming soon":\n${text}`);
}

test('an agent files a certificate for a client, who claims it by the mailed link and issues it', async () => {
  const { server, browser } = env;
  const { orgId, clerkEmail, operatorToken } = await organisationWithClerk(server, browser, {
    prefix: 'ag', rights: ['manage_clients', 'ca_agent'], clerkName: 'Агентова Ольга Игоревна',
  });
  const agent = (await server.apiOk('POST', '/me/acting-role', { role: 'org_employee' },
    { token: (await server.login(clerkEmail, PASSWORD)).access_token })).body.access_token;
  const person = {
    fullName: 'Сидоров Сидор Сидорович', email: uniqueEmail('ag-client'), phone: randomPhone(), snils: randomSnils(),
  };
  // The card lacks the phone and the passport's issuer.
  const client = (await server.apiOk('POST', '/clients', {
    organisation_id: orgId,
    full_name: person.fullName,
    birth_date: '1980-04-12',
    passport_series: '4510',
    passport_number: '654321',
    passport_issued_on: '2025-05-20',
    passport_issuer_code: '770-001',
    snils: person.snils,
    email: person.email,
  }, { token: agent }, 201)).body;

  await withPage(browser, server, 'cert-agent-agent', { viewport: DESKTOP }, async (a) => {
    const { page } = a;
    await logIn(page, clerkEmail, 'org_employee');
    await page.goto(`/clients/${client.id}?id=${orgId}`);
    await page.locator('[data-testid=client-cert-form]:visible').waitFor();
    await page.click('[data-testid=client-cert-form] button[type=submit]');
    await page.locator('[data-testid=client-cert-missing]:visible').waitFor();
    await expectText(page, '[data-testid=client-cert-missing] [data-missing=phone]', 'Телефон');
    await page.locator('[data-field-error=passport_issuer]:visible').waitFor();
    await page.locator('[data-field-error=phone]:visible').waitFor();
    await assertClean(page, 'the refused filing');
    await a.shot('missing');

    await page.click('[data-testid=client-cert-missing] [data-missing=phone] button');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'client-phone', 'the button leads to the field');
    await page.fill('#client-phone', person.phone);
    await page.fill('#client-passport_issuer', 'ОВД района Арбат г. Москвы');
    await page.click('[data-testid=client-form] button[type=submit]');
    await page.locator('[data-testid=client-saved]:visible').waitFor();
    await page.locator('[data-testid=client-cert-missing]').waitFor({ state: 'hidden' });
    await page.fill('#cert-purpose', 'Подписание договора купли-продажи квартиры');
    await page.click('[data-testid=client-cert-form] button[type=submit]');
    await page.locator('[data-testid=client-cert-filed]:visible').waitFor();
    await expectText(page, '[data-testid=client-cert-application] [data-status=submitted]', 'На рассмотрении');
    await page.locator('[data-testid=client-cert-form]').waitFor({ state: 'hidden' });
    await assertClean(page, 'filed');
    await a.shot('filed');

    // The operator approves: the client is mailed the link.
    const [filed] = (await server.apiOk('GET', `/clients/${client.id}/certificate-applications`, undefined, { token: agent })).body.items;
    await server.apiOk('POST', `/certificate-applications/${filed.id}/approve`, {}, { token: operatorToken });
    const first = await mailedLink(server, person.email, '/certificate-claim');
    await page.reload();
    await expectText(page, '[data-testid=client-cert-application][data-claim=sent] [data-testid=client-cert-claim]', 'ссылка');
    await page.click('[data-testid=client-cert-resend]');
    await page.locator('[data-testid=client-cert-resent]:visible').waitFor();
    await assertClean(page, 'the link sent again');
    await a.shot('resent');

    await withPage(browser, server, 'cert-agent-client', { viewport: PHONE }, async (c) => {
      const q = c.page;
      // The first link works no more.
      await q.goto(first);
      await expectText(q, '[data-testid=claim-invalid]', 'Ссылка не работает');
      await c.shot('old-link');

      const link = await server.waitForMessage(person.email, (m) => {
        const match = /https?:\/\/\S+\/certificate-claim\?token=[^\s"'<>]+/.exec(m.body);
        if (m.channel !== 'email' || !match) return null;
        const url = new URL(match[0]);
        const path = url.pathname + url.search;
        return path === first ? null : path;
      }, 'a new claim link');
      await q.goto(link);
      await expectText(q, '[data-testid=claim-organisation]', 'ООО «АН „Квартал“»');
      await expectText(q, '[data-testid=claim-page] [data-field=full_name]', person.fullName);
      await assertClean(q, 'the claim preview');
      await c.shot('preview');
      // The same in English, and back.
      await q.click('header button.lang');
      await expectText(q, '[data-testid=claim-organisation]', 'has filed an application');
      await expectText(q, '[data-testid=claim-log-in]', 'log in or register');
      await assertClean(q, 'the claim preview in English');
      await c.shot('preview-en');
      await q.click('header button.lang');
      await expectText(q, '[data-testid=claim-register]', 'Зарегистрироваться');

      // He registers from the link, confirms his e-mail, comes back by the link and logs in.
      await q.click('[data-testid=claim-register]');
      await expectPath(q, '/register');
      await q.fill('#email', person.email);
      await q.fill('#password', PASSWORD);
      await q.fill('#full_name', person.fullName);
      await q.click('form button[type=submit]');
      const confirmation = await server.confirmationLink(person.email);
      await q.goto(new URL(confirmation).pathname + new URL(confirmation).search);
      await q.locator('p.success[role=status]').waitFor();
      await q.goto(link);
      await q.click('[data-testid=claim-login]');
      await expectPath(q, '/login');
      await q.fill('#email', person.email);
      await q.fill('#password', PASSWORD);
      await q.click('form button[type=submit]:visible');
      await q.locator('[data-testid=claim-accept]:visible').waitFor({ timeout: 15_000 });
      await expectText(q, '[data-testid=claim-account]', person.email);
      await c.shot('signed-in');
      await q.click('[data-testid=claim-accept]');
      await expectPath(q, `/certificate-applications/${filed.id}`);
      await q.locator('[data-testid=issue-form]:visible').waitFor();
      await assertClean(q, 'his application');
      await c.shot('claimed');
      await issueInBrowser(server, q, filed.id, person.phone);
      await c.shot('issued');
    });

    await page.reload();
    await expectText(page, '[data-testid=client-cert-application] [data-status=issued]', 'Выпущ');
    await assertClean(page, 'issued');
    await a.shot('issued');
  });
});
