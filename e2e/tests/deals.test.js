// Deals (docs/deals.md) in the browser, through the registry stand-in
// (docs/registry-gateway.md) deciding every step after a second. An agency's
// employee with the deal rights, whose own key the platform CA issued in his
// browser, registers a gift of a flat between two clients of the base, whose
// keys were issued in the same browser (they sign at the agency's desk): he
// creates the deal, fills the object (saved at once), picks both clients
// with their roles, uploads the contract (the limits shown, a file that is
// no PDF refused by the server), collects each client's signature of it in
// the matrix, forms the statements after the freeze warning, has them signed
// by both clients and himself, sends the deal, pays the state fee with the
// UIN shown, and watches the registry's answers arrive on the status tab
// until the deal is registered. Then the same deal is copied; the copy,
// signed and sent again, is refused by the registry (its plan set through
// the stand-in's control API), shows the refusal, and is copied into a new
// draft with the object, participants and documents but no signature.
// Screenshots: e2e/artifacts/deals-*.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uniqueEmail, randomSnils, randomPhone, PASSWORD } from '../lib/server.js';
import { logIn, withPage, eventually, expectText, expectPath, DESKTOP } from '../lib/browser.js';
import { useServerAndBrowser } from '../lib/harness.js';
import { approvedApplication, issueInBrowser } from '../lib/certificates.js';
import { organisationWithClerk } from '../lib/organisations.js';

const env = useServerAndBrowser({ registry: true });

const CLERK = 'Клеркова Мария Ивановна';
const DONOR = 'Иванова Анна Сергеевна';
const DONEE = 'Иванов Пётр Сергеевич';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** No raw enum names, no ids, nothing "under construction". */
async function assertClean(page, where) {
  const text = await page.locator('main').innerText();
  for (const wire of ['fee_payment', 'in_registration', 'signature_missing', 'donee', 'land_plot', 'premises']) {
    assert.ok(!text.includes(wire), `${where}: the page shows "${wire}":\n${text}`);
  }
  assert.ok(!UUID.test(text), `${where}: the page shows an id:\n${text}`);
  assert.ok(!/в разработке|coming soon|under construction/i.test(text), `${where}: "coming soon":\n${text}`);
}

/** A person with an account, his SNILS and phone, and an approved certificate application. */
async function person(server, operatorToken, fullName, prefix) {
  const email = uniqueEmail(prefix);
  const who = { email, fullName, snils: randomSnils(), phone: randomPhone() };
  await server.registerConfirmed(email, PASSWORD, fullName);
  const token = (await server.login(email, PASSWORD)).access_token;
  await server.apiOk('PATCH', '/me', { snils: who.snils }, { token });
  await server.confirmPhone(token, who.phone);
  who.application = await approvedApplication(server, token, who, operatorToken);
  return who;
}

/** Logs `who` in, in this browser, and has his certificate issued here (the key stays). */
async function keyHere(server, session, who, role) {
  await session.context.clearCookies();
  await logIn(session.page, who.email, role);
  await issueInBrowser(server, session.page, who.application, who.phone);
}

/** Opens a tab of the deal's card. */
async function tab(page, name) {
  await page.click(`[data-testid=tab-${name}]`);
}

/**
 * Signs every open cell of the matrix of `kind` in this browser, choosing
 * for each column the key of the person its heading names.
 */
async function signAll(page, kind, names) {
  const matrix = `[data-testid=sign-matrix-${kind}]`;
  await page.locator(`${matrix} table`).waitFor();
  for (let round = 0; round < 20; round += 1) {
    const buttons = page.locator(`${matrix} [data-testid=sign-here]`);
    if ((await buttons.count()) === 0) return;
    const signedBefore = await page.locator(`${matrix} [data-testid=signed]`).count();
    const id = await buttons.first().getAttribute('data-id');
    const signer = id.split(':')[1];
    const heading = await page.locator(`${matrix} th[data-signer="${signer}"]`).innerText();
    const name = names.find((n) => heading.includes(n)) ?? CLERK;
    await buttons.first().click();
    const panel = page.locator('[data-testid=sign-panel]');
    await panel.waitFor();
    const value = await eventually(() => page.evaluate((n) => [...document.querySelectorAll('#sign-key option')]
      .find((o) => o.textContent.includes(n))?.value, name), `a key of ${name} in this browser`);
    await page.selectOption('#sign-key', value);
    const sign = panel.locator('[data-testid=sign]');
    await eventually(async () => !(await sign.isDisabled()), 'the document loaded for signing');
    await sign.click();
    await eventually(async () => (await page.locator(`${matrix} [data-testid=signed]`).count()) > signedBefore,
      `${name}'s signature accepted`, 20_000);
  }
  throw new Error('the matrix never filled');
}

/** Forms the statements (after the freeze warning) and has them all signed. */
async function formAndSign(page, c, shotPrefix, poaNumber) {
  await tab(page, 'statements');
  await page.locator('[data-testid=freeze-warning]:visible').waitFor();
  await page.click('[data-testid=form-statements]');
  await page.locator('[data-testid=form-confirm]:visible').waitFor();
  if (shotPrefix) await c.shot(`${shotPrefix}-freeze`);
  await page.click('[data-testid=form-statements-yes]');
  await expectText(page, '[data-testid=statement-list]', DONOR);
  await expectText(page, '[data-testid=statements-state]', 'заморожена');
  await signAll(page, 'statement', [DONOR, DONEE]);
  await page.locator('[data-testid=deal-send]:visible').waitFor();
  // The clerk's signature for the agency names the power of attorney.
  await expectText(page, '[data-testid=sign-matrix-statement] [data-signer=employee] [data-testid=signed-under-poa]',
    `по доверенности № ${poaNumber}`);
  if (shotPrefix) await c.shot(`${shotPrefix}-ready`);
}

/** The deal's id in the page's address. */
function dealId(page) {
  return new URL(page.url()).pathname.split('/').pop();
}

test('an agency registers a gift through the registry; a refused copy is copied into a new draft', { timeout: 300_000 }, async () => {
  const { server, browser } = env;
  const { orgId, clerkEmail, clerkSnils, poa, operatorToken } = await organisationWithClerk(server, browser, {
    prefix: 'dl', clerkName: CLERK, rights: ['manage_clients', 'create_deals', 'send_to_registry', 'sign_on_behalf'],
  });
  const clerkToken = (await server.apiOk('POST', '/me/acting-role', { role: 'org_employee' },
    { token: (await server.login(clerkEmail, PASSWORD)).access_token })).body.access_token;
  // The clerk's own certificate (he files the statements and signs them for
  // the agency under the МЧД the head issued him), and the clients'.
  await server.apiOk('PATCH', '/me', { snils: clerkSnils }, { token: clerkToken });
  const clerkPhone = randomPhone();
  await server.confirmPhone(clerkToken, clerkPhone);
  const clerk = {
    email: clerkEmail, fullName: CLERK, snils: clerkSnils, phone: clerkPhone,
    application: await approvedApplication(server, clerkToken,
      { fullName: CLERK, snils: clerkSnils, phone: clerkPhone }, operatorToken),
  };
  const donor = await person(server, operatorToken, DONOR, 'dl-donor');
  const donee = await person(server, operatorToken, DONEE, 'dl-donee');
  for (const p of [donor, donee]) {
    await server.apiOk('POST', '/clients', {
      organisation_id: orgId, full_name: p.fullName, snils: p.snils, birth_date: '1980-04-12',
    }, { token: clerkToken }, 201);
  }

  let first;
  await withPage(browser, server, 'deals', { viewport: DESKTOP }, async (c) => {
    const { page } = c;
    await keyHere(server, c, donor, 'customer');
    await keyHere(server, c, donee, 'customer');
    await keyHere(server, c, clerk, 'org_employee');

    // The list, empty; a new deal.
    await page.goto('/deals');
    await page.locator('[data-testid=deals-empty]:visible').waitFor();
    await page.fill('#deal-new-title', 'Дарение квартиры на Тверской');
    await page.click('[data-testid=deal-new] button[type=submit]');
    await eventually(() => /^\/deals\/[0-9a-f-]{36}$/.test(new URL(page.url()).pathname), 'at the deal\'s address');
    first = dealId(page);
    await page.locator('[data-testid=checklist]:visible').waitFor();
    await c.shot('new');

    // The object: every change saved at once.
    await page.fill('#cadastral_number', '77:01:0004012:1234');
    await page.selectOption('#object_type', 'premises');
    await page.fill('#address', 'г. Москва, ул. Тверская, д. 7, кв. 12');
    await page.fill('#area', '54,30');
    await page.locator('#address').click(); // leaves the area field: its change is sent
    await eventually(async () => {
      const deal = (await server.apiOk('GET', `/deals/${first}`, undefined, { token: clerkToken })).body;
      const o = deal.object;
      if (o.area === '54.3' && o.object_type === 'premises' && o.cadastral_number === '77:01:0004012:1234'
        && o.address === 'г. Москва, ул. Тверская, д. 7, кв. 12') return deal;
      throw new Error(JSON.stringify(o));
    }, (last) => `the object saved (${JSON.stringify(last)})`);
    await page.locator('[data-testid=object-saved]:visible').waitFor();
    await c.shot('object');

    // The participants, from the base.
    await tab(page, 'participants');
    for (const [p, role] of [[donor, 'donor'], [donee, 'donee']]) {
      await page.fill('#participant-q', p.fullName.split(' ')[1]);
      await page.click('[data-testid=participant-search] button[type=submit]');
      const found = page.locator('[data-testid=found-client]', { hasText: p.fullName });
      await found.locator('[data-testid=pick-client]').click();
      await expectText(page, '[data-testid=chosen-client]', p.fullName);
      await page.selectOption('#role', role);
      await page.click('[data-testid=participant-form] button[type=submit]');
      await expectText(page, '[data-testid=participant-list]', p.fullName);
    }
    await expectText(page, '[data-testid=participant-list]', 'одаряемый');
    await assertClean(page, 'participants');
    await c.shot('participants');

    // The documents: the limits shown; a file that is no PDF refused; the contract.
    await tab(page, 'documents');
    await expectText(page, '[data-testid=document-limits]', '20');
    await page.fill('#document-title', 'Договор дарения');
    await page.setInputFiles('#document-file', { name: 'contract.pdf', mimeType: 'application/pdf', buffer: Buffer.from('PK\x03\x04 not a pdf') });
    await page.click('[data-testid=document-upload-submit]');
    await expectText(page, '[data-testid=deal-documents] .form-error', 'Это не PDF');
    await page.setInputFiles('#document-file', { name: 'contract.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n% Договор дарения квартиры\n%%EOF\n') });
    await page.click('[data-testid=document-upload-submit]');
    await expectText(page, '[data-testid=document-list]', 'Договор дарения');
    await c.shot('documents');

    // Each client signs the contract in this browser.
    await tab(page, 'signatures');
    await signAll(page, 'document', [DONOR, DONEE]);
    await page.locator('[data-testid=checklist]').waitFor({ state: 'hidden' });
    await assertClean(page, 'signed');
    await c.shot('signatures');

    await formAndSign(page, c, 'statements', poa.internalNumber);

    // Sent; the fee's UIN shown and paid; the registry's answers arrive.
    await page.click('[data-testid=deal-send]');
    await page.locator('[data-testid=deal-registry]:visible').waitFor();
    await page.locator('[data-testid=fee-pay]:visible').waitFor({ timeout: 20_000 });
    const uin = await page.locator('[data-testid=deal-fee]').innerText();
    assert.match(uin.replace(/\s/g, ''), /\d{20}/, `the UIN is shown:\n${uin}`);
    await assertClean(page, 'fee');
    await c.shot('fee');
    await page.click('[data-testid=fee-pay]');
    await expectText(page, '[data-testid=deal-status]', /зарегистрирована/i, 30_000);
    await expectText(page, '[data-testid=registry-events]', 'регистр');
    await page.locator('[data-testid=registry-live]').waitFor({ state: 'hidden' });
    await assertClean(page, 'registered');
    await c.shot('registered');

    // The list shows it registered.
    await page.goto('/deals');
    await expectText(page, '[data-testid=deal]', /зарегистрирована/i);

    // A copy, sent again and refused by the registry.
    await page.goto(`/deals/${first}`);
    await page.click('[data-testid=deal-copy]');
    await eventually(() => dealId(page) !== first && UUID.test(dealId(page)), 'at the copy\'s address');
    const second = dealId(page);
    await server.registryControl('PUT', `/control/plan/${second}`, { outcome: 'refused', reason: 'Не представлено согласие супруга' });
    await tab(page, 'signatures');
    await signAll(page, 'document', [DONOR, DONEE]);
    await formAndSign(page, c, null, poa.internalNumber);
    await page.click('[data-testid=deal-send]');
    await page.locator('[data-testid=fee-pay]:visible').waitFor({ timeout: 20_000 });
    await page.click('[data-testid=fee-pay]');
    await expectText(page, '[data-testid=deal-status]', /отказ/i, 30_000);
    await expectText(page, '[data-testid=refusal-reason]', 'Не представлено согласие супруга');
    await assertClean(page, 'refused');
    await c.shot('refused');

    // The refused deal copied into a new draft: the data, not the signatures.
    await page.click('[data-testid=deal-copy]');
    await eventually(() => ![first, second].includes(dealId(page)) && UUID.test(dealId(page)), 'at the new draft');
    const third = (await server.apiOk('GET', `/deals/${dealId(page)}`, undefined, { token: clerkToken })).body;
    assert.equal(third.status, 'draft');
    assert.equal(third.copied_from, second);
    assert.deepEqual(third.participants.map((p) => p.name).sort(), [DONEE, DONOR].sort());
    assert.equal(third.documents.length, 1);
    assert.equal(third.documents[0].signatures.length, 0, 'the copy has no signature');
    await expectText(page, '[data-testid=checklist]', 'подпис');
    await expectPath(page, `/deals/${third.id}`);
    await c.shot('copied');
  });

  // Exactly one submission each, at the registry.
  const stats = await server.registryControl('GET', '/control/stats');
  assert.equal(stats.packages_by_reference[first], 1, JSON.stringify(stats));
});
