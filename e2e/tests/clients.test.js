// The client base (docs/clients.md) in two browsers. A confirmed
// organisation is set up quickly (registered through the API, its offer
// signed in the browser with the head's platform certificate) and an
// employee with "manage clients" joins through the API. The employee adds a
// client whose SNILS has a wrong check digit: the save goes through and the
// finding shows beside the SNILS field; he fixes it and the finding goes.
// He asks a person by e-mail to fill in his data; in a second browser (a
// phone) the person opens the mailed link, fills the form, uploads a scan
// and submits: the findings come back with the thanks, and the link then
// works no more. The employee reviews the submission with its findings and
// accepts it; the new client opens and appears in the list, found by name.
// Then a passport page rendered by `mezha-testkit` (as the recognition's own
// tests do) is read from its photo and put into a new client's form: nothing
// is saved until Save; the person reads it on his link's page alike.
// Screenshots: e2e/artifacts/clients-*.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, uniqueEmail, PASSWORD } from '../lib/server.js';
import {
  logIn, withPage, eventually, expectText, expectPath, expectValue, horizontalOverflow, DESKTOP, PHONE,
} from '../lib/browser.js';
import { useServerAndBrowser } from '../lib/harness.js';
import { mailedLink, organisationWithClerk } from '../lib/organisations.js';

const env = useServerAndBrowser();


async function assertFitsPhone(page, where) {
  const o = await horizontalOverflow(page);
  assert.ok(o.scrollWidth <= PHONE.width,
    `${where}: the page scrolls sideways at ${PHONE.width} px (scrollWidth ${o.scrollWidth}); too wide: ${o.wide.join(', ')}`);
}

/** No raw enum or finding names, no ids, nothing "under construction". */
const WIRE_NAMES = ['snils_checksum', 'inn_not_personal', 'submitted', 'org_employee', 'manage_clients', 'full_name'];

async function assertClean(page, where, wires = WIRE_NAMES) {
  const text = await page.locator('main').innerText();
  for (const wire of wires) {
    assert.ok(!text.includes(wire), `${where}: the page shows "${wire}":\n${text}`);
  }
  assert.ok(!/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.test(text), `${where}: the page shows an id:\n${text}`);
  assert.ok(!/в разработке|coming soon|under construction/i.test(text), `${where}: "coming soon":\n${text}`);
}

/** The organisation of this file's tests, set up once. */
let shared;
function organisation() {
  shared ??= organisationWithClerk(env.server, env.browser, { prefix: 'cl', rights: ['manage_clients'] });
  return shared;
}

test('an employee keeps the client base: findings beside the fields, a request by e-mail, its acceptance', async () => {
  const { server, browser } = env;
  const { orgId, clerkEmail } = await organisation();
  const personEmail = uniqueEmail('cl-person');
  const personName = 'Петров Пётр Петрович';

  await withPage(browser, server, 'clients-clerk', { viewport: DESKTOP }, async (c) => {
    const { page } = c;
    await logIn(page, clerkEmail, 'org_employee');
    // The organisation's page leads to the base.
    await page.goto(`/organisation?id=${orgId}`);
    await page.click('[data-testid=org-clients-link]');
    await expectPath(page, '/clients');
    await page.locator('[data-testid=clients-empty]:visible').waitFor();
    await c.shot('empty');

    // A client with a wrong SNILS check digit: saved, the finding beside the field.
    await page.click('[data-testid=client-add]');
    await expectPath(page, '/clients/new');
    await page.locator('[data-testid=client-form]:visible').waitFor();
    await page.fill('#client-full_name', 'Иванова Анна Сергеевна');
    await page.fill('#client-birth_date', '1985-03-14');
    await page.fill('#client-snils', '112-233-445 94');
    await page.fill('#client-phone', '+7 916 123-45-67');
    await page.click('[data-testid=client-form] button[type=submit]');
    await expectText(page, '[data-findings=snils] [data-finding=snils_checksum]', 'контрольное число');
    await eventually(() => /^\/clients\/[0-9a-f-]{36}$/.test(new URL(page.url()).pathname), 'at the client\'s address');
    await page.locator('[data-testid=client-saved]:visible').waitFor();
    await expectValue(page, '#client-phone', '+79161234567');
    await assertClean(page, 'client with a finding');
    await c.shot('finding');

    // Fixed: the finding goes.
    await page.fill('#client-snils', '112-233-445 95');
    await page.click('[data-testid=client-form] button[type=submit]');
    await page.locator('[data-findings=snils]').waitFor({ state: 'hidden' });
    await page.locator('[data-testid=client-saved]:visible').waitFor();
    await c.shot('fixed');

    // The request by e-mail.
    await page.click('[data-testid=to-clients]');
    await expectPath(page, '/clients');
    await expectText(page, '[data-testid=client]', 'Иванова Анна Сергеевна');
    assert.equal(await page.locator('[data-testid=client-findings]').count(), 0, 'no findings left');
    await page.fill('#ask-email', personEmail);
    await page.fill('#ask-name', personName);
    await page.click('[data-testid=client-ask] button[type=submit]');
    await page.locator('[data-testid=client-asked]:visible').waitFor();
    await expectText(page, '[data-testid=client-request][data-status=sent]', 'Отправлен');
    await assertClean(page, 'clients with a request');
    await c.shot('requested');

    const linkPath = await mailedLink(server, personEmail, '/client-request');

    // The person, on his phone, without an account.
    await withPage(browser, server, 'clients-person', { viewport: PHONE }, async (p) => {
      const q = p.page;
      await q.goto(linkPath);
      await expectText(q, '[data-testid=request-organisation]', 'ООО «АН „Квартал“»');
      await expectValue(q, '#client-full_name', personName);
      await q.fill('#client-birth_date', '1980-04-12');
      await q.fill('#client-passport_series', '45 06');
      await q.fill('#client-passport_number', '123456');
      await q.fill('#client-passport_issued_on', '2025-05-20');
      await q.fill('#client-passport_issuer_code', '770001');
      await q.fill('#client-snils', '112-233-445 95');
      // An organisation's INN: reported, not refused.
      await q.fill('#client-inn', '7707083893');
      await q.fill('#client-email', personEmail);
      await q.setInputFiles('#link-scans', { name: 'passport.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7 passport scan') });
      await expectText(q, '[data-testid=link-scans-list]', 'passport.pdf');
      await assertFitsPhone(q, 'request form');
      await p.shot('form');
      await q.click('[data-testid=client-link-form] button[type=submit]');
      await q.locator('[data-testid=client-link-done]:visible').waitFor();
      await expectText(q, '[data-testid=client-link-findings] [data-finding=inn_not_personal]', 'ИНН организации');
      await assertClean(q, 'submitted');
      await assertFitsPhone(q, 'submitted');
      await p.shot('submitted');

      // The link works once.
      await q.goto(linkPath);
      await q.locator('[data-testid=client-link-invalid]:visible').waitFor();
      await p.shot('used');
    });

    // The employee reviews and accepts.
    await page.reload();
    const request = page.locator('[data-testid=client-request][data-status=submitted]');
    await expectText(page, '[data-testid=client-request][data-status=submitted]', 'Заполнен');
    await request.locator('[data-testid=request-review]').click();
    await eventually(() => new URL(page.url()).pathname.startsWith('/clients/requests/'), 'at the request\'s review');
    await expectText(page, '[data-testid=request-data] [data-field=passport_series]', /45\s?06/);
    await expectText(page, '[data-testid=request-data] [data-findings=inn]', 'ИНН организации');
    await expectText(page, '[data-testid=request-scans]', 'passport.pdf');
    await assertClean(page, 'review');
    await c.shot('review');
    await page.click('[data-testid=request-accept]');
    await eventually(() => /^\/clients\/[0-9a-f-]{36}$/.test(new URL(page.url()).pathname), 'at the new client');
    await expectValue(page, '#client-full_name', personName);
    await expectText(page, '[data-findings=inn]', 'ИНН организации');
    await expectText(page, '[data-testid=client-saved-scans]', 'passport.pdf');
    await c.shot('accepted');

    // In the list, and found by name.
    await page.click('[data-testid=to-clients]');
    await expectText(page, '[data-testid=client-list]', personName);
    await expectText(page, '[data-testid=client-request][data-status=accepted]', 'Принят');
    await page.fill('#client-q', 'петров');
    await page.click('[data-testid=client-search] button[type=submit]');
    await eventually(async () => (await page.locator('[data-testid=client]').count()) === 1, 'one client found');
    await expectText(page, '[data-testid=client]', personName);
    await expectText(page, '[data-testid=client-findings]', '1');
    await assertClean(page, 'search');
    await c.shot('found');

    // In English too.
    await page.locator('header button.lang').click();
    await expectText(page, 'h1', 'Client base');
    await expectText(page, '[data-testid=client-findings]', 'To check: 1');
    await expectText(page, '[data-testid=client-request][data-status=accepted]', 'Accepted');
    // ("submitted" is plain English here.)
    await assertClean(page, 'search (en)', WIRE_NAMES.filter((w) => w !== 'submitted'));
    await c.shot('found-en');
    await page.locator('[data-testid=client-link]').click();
    await expectText(page, '[data-findings=inn]', "an organisation's INN");
    await expectText(page, 'label[for=client-passport_issuer_code]', 'Issuer code');
    await c.shot('client-en');
    await page.locator('header button.lang').click();
  });
});

/** A passport-like page as a PNG: `e2e/fixtures/passport.png`, written by
 * `cargo run -p mezha-testkit --example render -- e2e/fixtures/passport.png`
 * (sample 1, rotated 1.2°, noisy) and committed, so that no build runs
 * inside a test's time; Tesseract installed by the project's own script
 * (quick when it is there). */
function passportPhoto() {
  execFileSync('bash', [path.join(ROOT, 'scripts', 'ensure-ocr.sh')], { stdio: 'inherit' });
  return path.join(ROOT, 'e2e', 'fixtures', 'passport.png');
}

test('a passport photo is read and its fields are put into the form; only Save stores them', async () => {
  const { server, browser } = env;
  const photo = passportPhoto();
  const { orgId, clerkEmail } = await organisation();
  await withPage(browser, server, 'clients-passport', { viewport: PHONE }, async (c) => {
    const { page } = c;
    await logIn(page, clerkEmail, 'org_employee');
    await page.goto(`/clients/new?id=${orgId}`);
    await page.locator('[data-testid=client-form]:visible').waitFor();
    await page.click('[data-testid=client-recognise] summary');
    await page.setInputFiles('#passport-photo', photo);
    await page.locator('[data-testid=passport-proposal]:visible').waitFor({ timeout: 60_000 });
    await expectText(page, '[data-testid=passport-proposal] [data-field=passport_number]', '804681');
    await expectText(page, '[data-testid=passport-proposal] [data-field=full_name]', 'Петрова Мария Андреевна');
    await assertClean(page, 'passport proposal');
    await assertFitsPhone(page, 'passport proposal');
    await c.shot('proposal');
    // Nothing in the form yet, nothing saved.
    await expectValue(page, '#client-full_name', '');
    await page.click('[data-testid=put-into-form]');
    await expectValue(page, '#client-full_name', 'Петрова Мария Андреевна');
    await expectValue(page, '#client-passport_series', '3223');
    await expectValue(page, '#client-passport_number', '804681');
    await expectValue(page, '#client-passport_issuer_code', '032-996');
    await expectValue(page, '#client-birth_date', '1993-09-06');
    await expectPath(page, '/clients/new');
    await c.shot('put-into-form');
    await page.click('[data-testid=client-form] button[type=submit]');
    await eventually(() => /^\/clients\/[0-9a-f-]{36}$/.test(new URL(page.url()).pathname), 'saved as a client');
    await expectValue(page, '#client-passport_number', '804681');
    await c.shot('saved');
  });

  // The person reads it on the request link's page too, without an account.
  const clerk = (await server.apiOk('POST', '/me/acting-role', { role: 'org_employee' },
    { token: (await server.login(clerkEmail, PASSWORD)).access_token })).body.access_token;
  const personEmail = uniqueEmail('cl-reader');
  await server.apiOk('POST', '/client-requests', { email: personEmail, organisation_id: orgId }, { token: clerk });
  const linkPath = await mailedLink(server, personEmail, '/client-request');
  await withPage(browser, server, 'clients-passport-link', { viewport: PHONE }, async (p) => {
    const q = p.page;
    await q.goto(linkPath);
    await q.locator('[data-testid=client-link-form]:visible').waitFor();
    await q.click('[data-testid=client-recognise] summary');
    await q.setInputFiles('#passport-photo', photo);
    await q.locator('[data-testid=passport-proposal]:visible').waitFor({ timeout: 60_000 });
    await q.click('[data-testid=put-into-form]');
    await expectValue(q, '#client-full_name', 'Петрова Мария Андреевна');
    await expectValue(q, '#client-passport_number', '804681');
    await assertFitsPhone(q, 'passport read through the link');
    await p.shot('put-into-form');
    await q.click('[data-testid=client-link-form] button[type=submit]');
    await q.locator('[data-testid=client-link-done]:visible').waitFor();
  });
});
