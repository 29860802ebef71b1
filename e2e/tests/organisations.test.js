// Organisations (docs/organisations.md) in two browsers. The head registers
// his organisation in the form (a bad INN is named beside its field), reads
// the platform offer; a file that is no signature is refused with the
// server's reason; he signs it in the browser with the key the platform CA
// issued him there: the organisation is confirmed and the session enters as
// its admin. He saves a setting and invites an employee by e-mail. In a
// second browser (a phone) the employee opens the mailed link, registers
// with the SMS code from the outbox and accepts; the link then works no
// more. The admin activates him and grants "manage clients"; the API says
// the member is active with that right, the audit log shows it. An address
// that has an account is invited too: the link sends him to log in and back,
// and he accepts signed in. The employee, logging in, works in the
// organisation with his right.
// Screenshots of every screen: e2e/artifacts/org-*.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uniqueEmail, randomSnils, randomPhone, PASSWORD } from '../lib/server.js';
import {
  logIn, withPage, eventually, expectText, expectPath, horizontalOverflow, DESKTOP, PHONE,
} from '../lib/browser.js';
import { useServerAndBrowser } from '../lib/harness.js';
import { approvedApplication, issueInBrowser } from '../lib/certificates.js';

const env = useServerAndBrowser();

const REQUISITES = {
  '#org-full-name': 'Общество с ограниченной ответственностью «Агентство недвижимости „Квартал“»',
  '#org-short-name': 'ООО «АН „Квартал“»',
  '#org-inn': '7707083893',
  '#org-kpp': '770701001',
  '#org-ogrn': '1027700132195',
  '#org-address': 'г. Москва, ул. Тверская, д. 1',
  '#org-head-name': 'Сидоров Алексей Петрович',
  '#org-head-position': 'генерального директора',
};

async function assertFitsPhone(page, where) {
  const o = await horizontalOverflow(page);
  assert.ok(o.scrollWidth <= PHONE.width,
    `${where}: the page scrolls sideways at ${PHONE.width} px (scrollWidth ${o.scrollWidth}); too wide: ${o.wide.join(', ')}`);
}

/** The invitation link mailed to `email`. */
function invitationLink(server, email) {
  return server.waitForMessage(email, (m) => {
    const match = /https?:\/\/\S+\/invitation\?token=[^\s"'<>]+/.exec(m.body);
    return m.channel === 'email' && match ? match[0] : null;
  }, 'invitation link');
}

/** No raw enum names or ids in what the page shows. */
async function assertNoWireNames(page, where) {
  const text = await page.locator('main').innerText();
  for (const wire of ['unconfirmed', 'org_admin', 'manage_clients', 'rights_changed', 'pending', 'deactivated']) {
    assert.ok(!text.includes(wire), `${where}: the page shows "${wire}":\n${text}`);
  }
  assert.ok(!/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.test(text), `${where}: the page shows an id:\n${text}`);
}

test('a head registers and confirms an organisation, invites an employee, activates him and grants a right', async () => {
  const { server, browser } = env;
  const operatorEmail = uniqueEmail('org-ca');
  await server.staff(operatorEmail, PASSWORD, 'ca_operator');
  const operatorToken = (await server.login(operatorEmail, PASSWORD)).access_token;

  const headEmail = uniqueEmail('org-head');
  const head = { fullName: 'Сидоров Алексей Петрович', snils: randomSnils(), phone: randomPhone() };
  await server.registerConfirmed(headEmail, PASSWORD, head.fullName);
  const headToken = (await server.login(headEmail, PASSWORD)).access_token;
  await server.apiOk('PATCH', '/me', { snils: head.snils }, { token: headToken });
  await server.confirmPhone(headToken, head.phone);
  const application = await approvedApplication(server, headToken, head, operatorToken);

  const clerkEmail = uniqueEmail('org-clerk');
  const clerkPhone = randomPhone();
  const clerkName = 'Клеркова Мария Ивановна';

  await withPage(browser, server, 'org-head', { viewport: DESKTOP }, async (h) => {
    const { page } = h;
    await logIn(page, headEmail, 'customer');
    await issueInBrowser(server, page, application, head.phone);

    // The menu leads every signed-in account to its organisation: none yet.
    await page.click('header nav a[href="/organisation"]');
    await expectPath(page, '/organisation');
    await page.locator('[data-testid=org-register]:visible').waitFor();
    await h.shot('register-form');

    // A wrong INN check digit is named beside the field; nothing registered.
    for (const [field, value] of Object.entries(REQUISITES)) await page.fill(field, value);
    await page.fill('#org-inn', '7707083890');
    await page.click('[data-testid=org-register] button[type=submit]');
    await page.locator('[data-field-error=inn]:visible').waitFor();
    assert.equal(await page.getAttribute('#org-inn', 'aria-invalid'), 'true');
    await h.shot('register-refused');
    await page.fill('#org-inn', REQUISITES['#org-inn']);
    await page.click('[data-testid=org-register] button[type=submit]');

    // Unconfirmed: the offer with the requisites, to be signed.
    await page.locator('[data-testid=org-title] [data-status=unconfirmed]').waitFor();
    await expectText(page, '[data-testid=org-title] [data-status=unconfirmed]', 'не подтверждена');
    await expectText(page, '[data-testid=offer-text]', 'ИНН 7707083893');
    await assertNoWireNames(page, 'unconfirmed organisation');
    await h.shot('offer');

    // A file that is no signature: refused, with the server's reason and
    // the validation report; nothing changes.
    await page.setInputFiles('#offer-signature-file', { name: 'bad.p7s', mimeType: 'application/pkcs7-signature', buffer: Buffer.from('not a signature') });
    await page.click('[data-testid=offer-upload-signature]');
    await page.locator('[data-testid=org-sign-error] .form-error:visible').waitFor();
    await page.locator('[data-testid=offer-refusal-report] [data-indication=TOTAL_FAILED]').waitFor();
    await page.locator('[data-testid=org-title] [data-status=unconfirmed]').waitFor();
    await h.shot('signature-refused');

    // Signed in the browser with the key the platform CA issued him.
    const sign = page.locator('[data-testid=org-sign] [data-testid=sign]');
    await eventually(async () => !(await sign.isDisabled()), 'the sign button enabled');
    await sign.click();
    await page.locator('[data-testid=org-confirmed]:visible').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid=org-title] [data-status=confirmed]').waitFor();
    // The session enters as the organisation's admin.
    await eventually(async () => (await page.inputValue('#acting-role')) === 'org_admin', 'acting as org_admin');
    await page.locator('[data-testid=org-settings]:visible').waitFor();
    await expectText(page, '[data-testid=org-membership]', 'администратор');
    // The new token did not make the page anew: it still says so.
    await page.locator('[data-testid=org-confirmed]:visible').waitFor();
    await assertNoWireNames(page, 'confirmed organisation');
    await h.shot('confirmed');

    // A setting saved.
    await page.check('#auto_pay_state_fee');
    await page.click('[data-testid=org-settings] button[type=submit]');
    await page.locator('[data-testid=org-settings-saved]:visible').waitFor();

    // Invite the employee.
    await page.click('[data-testid=org-employees-link]');
    await expectPath(page, '/organisation/employees');
    const orgId = new URL(page.url()).searchParams.get('id');
    assert.match(orgId, /^[0-9a-f-]{36}$/);
    await page.locator('[data-testid=member-list] [data-testid=member]').first().waitFor();
    await page.fill('#invite-email', clerkEmail);
    await page.click('[data-testid=org-invite] button[type=submit]');
    await page.locator('[data-testid=org-invited]:visible').waitFor();
    await expectText(page, '[data-testid=invitation][data-status=pending]', clerkEmail);
    await expectText(page, '[data-testid=invitation][data-status=pending]', 'ждёт ответа');
    await h.shot('invited');

    const link = new URL(await invitationLink(server, clerkEmail));
    const invitationPath = link.pathname + link.search;

    // The employee, on his phone: registers from the link with the SMS code.
    await withPage(browser, server, 'org-employee', { viewport: PHONE }, async (e) => {
      const p = e.page;
      await p.goto(invitationPath);
      await expectText(p, '[data-testid=invitation-organisation]', 'ООО «АН „Квартал“»');
      await p.locator('[data-testid=invitation-register]:visible').waitFor();
      await assertFitsPhone(p, 'invitation');
      await e.shot('invitation');
      await p.fill('#full_name', clerkName);
      await p.fill('#password', PASSWORD);
      await p.fill('#phone', clerkPhone);
      await p.click('[data-testid=invitation-send-code]');
      await p.locator('[data-testid=invitation-code-sent]:visible').waitFor();
      await p.fill('#code', await server.smsCode(clerkPhone));
      await e.shot('invitation-filled');
      await p.click('[data-testid=invitation-register] button[type=submit]');
      await p.locator('[data-testid=invitation-accepted]:visible').waitFor();
      await assertFitsPhone(p, 'invitation accepted');
      await e.shot('invitation-accepted');

      // The link works once.
      await p.goto(invitationPath);
      await p.locator('[data-testid=invitation-invalid]:visible').waitFor();
      await e.shot('invitation-used');
    });

    // The admin activates him and grants "manage clients".
    await page.reload();
    const row = page.locator(`[data-testid=member]:has-text("${clerkName}")`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-status'), 'pending');
    await expectText(page, `[data-testid=member]:has-text("${clerkName}")`, 'ждёт активации');
    await h.shot('member-pending');
    const userId = await row.getAttribute('data-user-id');
    await row.locator('[data-testid=member-activate]').click();
    await eventually(async () => (await row.getAttribute('data-status')) === 'active', 'the member active');
    await page.check(`#right-${userId}-manage_clients`);
    await row.locator('[data-testid=member-save-rights]').click();
    await row.locator('[data-testid=member-rights-saved]:visible').waitFor();
    await expectText(page, '[data-testid=invitation]', 'принято');
    await assertNoWireNames(page, 'employees');
    await h.shot('member-active');

    // The API agrees.
    const tokens = await server.login(headEmail, PASSWORD);
    const admin = (await server.apiOk('POST', '/me/acting-role', { role: 'org_admin' }, { token: tokens.access_token })).body.access_token;
    const members = (await server.apiOk('GET', `/organisations/${orgId}/members`, undefined, { token: admin })).body.items;
    const clerk = members.find((m) => m.user_id === userId);
    assert.equal(clerk.status, 'active');
    assert.equal(clerk.email, clerkEmail);
    assert.deepEqual(clerk.rights, ['manage_clients']);
    const org = (await server.apiOk('GET', `/organisations/${orgId}`, undefined, { token: admin })).body;
    assert.equal(org.settings.auto_pay_state_fee, true);

    // The audit log, newest first.
    await page.goto(`/organisation/audit?id=${orgId}`);
    const entries = page.locator('[data-testid=audit-entry]');
    await entries.first().waitFor();
    const kinds = await entries.evaluateAll((els) => els.map((el) => el.dataset.kind));
    assert.deepEqual(kinds, ['rights_changed', 'activated', 'joined', 'invited', 'settings_changed', 'confirmed', 'registered']);
    await expectText(page, '[data-testid=audit-entry][data-kind=rights_changed]', 'Вести базу клиентов');
    await expectText(page, '[data-testid=audit-entry][data-kind=rights_changed]', clerkName);
    await assertNoWireNames(page, 'audit log');
    await h.shot('audit');

    // An address that has an account: the link sends him to log in and
    // back, where he accepts signed in.
    const knownEmail = uniqueEmail('org-known');
    const knownName = 'Известнов Иван Иванович';
    await server.registerConfirmed(knownEmail, PASSWORD, knownName);
    await page.goto(`/organisation/employees?id=${orgId}`);
    await page.fill('#invite-email', knownEmail);
    await page.click('[data-testid=org-invite] button[type=submit]');
    await page.locator('[data-testid=org-invited]:visible').waitFor();
    const knownLink = new URL(await invitationLink(server, knownEmail));
    await withPage(browser, server, 'org-known', { viewport: DESKTOP }, async (k) => {
      const p = k.page;
      await p.goto(knownLink.pathname + knownLink.search);
      await p.locator('[data-testid=invitation-log-in]:visible').waitFor();
      await k.shot('log-in-first');
      await p.click('[data-testid=invitation-log-in] a');
      await expectPath(p, '/login');
      await p.fill('#email', knownEmail);
      await p.fill('#password', PASSWORD);
      await p.click('form button[type=submit]:visible');
      await expectPath(p, '/invitation');
      await p.locator('[data-testid=invitation-accept]:visible').waitFor();
      await k.shot('accept-signed-in');
      await p.click('[data-testid=invitation-accept]');
      await p.locator('[data-testid=invitation-accepted]:visible').waitFor();
      await k.shot('accepted');
    });
    await page.reload();
    const known = page.locator(`[data-testid=member]:has-text("${knownName}")`);
    await known.waitFor();
    assert.equal(await known.getAttribute('data-status'), 'pending');
  });

  // The employee works in the organisation with his right.
  await withPage(browser, server, 'org-employee-works', { viewport: PHONE }, async (e) => {
    const p = e.page;
    await logIn(p, clerkEmail, 'org_employee');
    await p.click('header nav a[href="/organisation"]');
    await p.locator('[data-testid=org-title] [data-status=confirmed]').waitFor();
    await expectText(p, '[data-testid=org-membership]', 'сотрудник');
    await expectText(p, '[data-testid=org-membership]', 'Вести базу клиентов');
    assert.equal(await p.locator('[data-testid=org-settings]').count(), 0, 'no settings for an employee');
    await assertFitsPhone(p, 'organisation (employee)');
    await e.shot('organisation');
    await p.locator('header button.lang').click();
    await expectText(p, 'h1', 'My organisation');
    await expectText(p, '[data-testid=org-membership]', 'Manage the client base');
    await assertFitsPhone(p, 'organisation (employee, en)');
    await e.shot('organisation-en');
  });
});
