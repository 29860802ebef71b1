// Signatures in the browser (docs/certificates.md, "In the web app"): a customer
// applies for a certificate
// through the wizard (data, print form, scans, submit), a certification-centre
// operator approves it on his screen, the customer issues the certificate in
// the browser (a WebCrypto key that never leaves it, a CSR built by the app,
// the SMS code), signs a document, and the server's validation report says
// TOTAL_PASSED; the same signature over a changed document is HASH_FAILURE.
// Then the customer logs out and back in with the certificate (the key of
// this browser signs the server's challenge; a challenge refused as expired
// is replaced once without asking), the sessions page says so, and once the
// certificate is revoked the login tab shows the server's refusal. A browser
// without keys is told there is no certificate here and where to get one.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uniqueEmail, randomSnils, randomPhone, PASSWORD } from '../lib/server.js';
import { logIn, withPage, eventually, expectPath, expectText, DESKTOP } from '../lib/browser.js';
import { useServerAndBrowser } from '../lib/harness.js';

const env = useServerAndBrowser();
const PDF = (name) => ({ name, mimeType: 'application/pdf', buffer: Buffer.from(`%PDF-1.4\n% ${name}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n`) });
const CONTRACT = { name: 'contract.txt', mimeType: 'text/plain', buffer: Buffer.from('Договор подряда на кадастровые работы № 17\nЦена: 25 000 руб.\n') };
const CHANGED = { name: 'contract.txt', mimeType: 'text/plain', buffer: Buffer.from('Договор подряда на кадастровые работы № 17\nЦена: 95 000 руб.\n') };

/** The `data-status` of the application page once it is `status`. */
async function expectStatus(page, status) {
  await eventually(async () => (await page.locator('[data-testid=application-status] [data-status]').getAttribute('data-status')) === status,
    `application status ${status}`);
}

test('apply, approve, issue in the browser, sign: TOTAL_PASSED; a changed document: HASH_FAILURE', async () => {
  const { server, browser } = env;
  const email = uniqueEmail('signer');
  const phone = randomPhone();
  const snils = randomSnils();
  await server.registerConfirmed(email, PASSWORD, 'Подписантов Сергей Иванович');
  const { access_token: token } = await server.login(email, PASSWORD);
  await server.apiOk('PATCH', '/me', { snils }, { token });
  await server.confirmPhone(token, phone);
  const operatorEmail = uniqueEmail('ca-operator');
  await server.staff(operatorEmail, PASSWORD, 'ca_operator');

  await withPage(browser, server, 'cert-owner', { viewport: DESKTOP }, async (owner) => {
    const { page } = owner;
    await logIn(page, email, 'customer');
    await page.click('[data-testid=certificates-link]');
    await expectPath(page, '/certificates');
    await page.click('[data-testid=new-application]');
    await page.waitForURL(/\/certificate-applications\/[0-9a-f-]{36}$/);
    const applicationUrl = page.url();
    await expectStatus(page, 'draft');
    // Pre-filled from the account.
    await eventually(async () => (await page.inputValue('#full_name')) === 'Подписантов Сергей Иванович', 'name pre-filled');
    assert.equal(await page.inputValue('#snils'), snils.replace(/\D/g, ''));

    // Submitting too early names what is missing beside the fields.
    await page.click('[data-testid=application-submit]');
    await page.locator('[data-field-error=passport_series]:visible').waitFor();
    await page.locator('[data-field-error=purpose]:visible').waitFor();

    await page.fill('#passport_series', '4510');
    await page.fill('#passport_number', '123456');
    await page.fill('#passport_issued_by', 'ОВД района Хамовники г. Москвы');
    await page.fill('#passport_issued_on', '2015-06-01');
    await page.fill('#purpose', 'Подписание договоров на кадастровые работы');
    await page.click('[data-testid=application-save]');
    await page.locator('[data-testid=application-form] .success:visible').waitFor();

    // The print form is a PDF download.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=print-form]')]);
    assert.equal(download.suggestedFilename(), 'application-form.pdf');

    for (const [input, field] of [['#passport-scan', 'passport_scan_id'], ['#snils-scan', 'snils_scan_id'], ['#form-scan', 'form_scan_id']]) {
      await page.setInputFiles(input, PDF(`${field}.pdf`));
      await eventually(async () => /загружен$/.test((await page.locator(`[data-testid=scans] [data-field=${field}] dd`).innerText()).trim())
        && !/не загружен/.test(await page.locator(`[data-testid=scans] [data-field=${field}] dd`).innerText()), `${field} uploaded`);
    }
    await owner.shot('filled');
    await page.click('[data-testid=application-submit]');
    await expectStatus(page, 'submitted');

    await withPage(browser, server, 'cert-operator', { viewport: DESKTOP }, async (op) => {
      const p = op.page;
      await logIn(p, operatorEmail, 'ca_operator');
      await p.click('a[href="/certificate-applications"]');
      await expectPath(p, '/certificate-applications');
      const row = p.locator(`[data-testid=application-row][data-application-id="${applicationUrl.split('/').pop()}"]`);
      await row.waitFor();
      await op.shot('queue');
      await row.locator('a').click();
      await expectStatus(p, 'submitted');
      await p.locator('[data-testid=review]:visible').waitFor();
      await p.click('[data-testid=approve]');
      await expectStatus(p, 'approved');
      await op.shot('approved');
    });

    await page.reload();
    await expectStatus(page, 'approved');
    await page.locator('[data-testid=issue-form]:visible').waitFor();
    const seen = (await server.outbox(phone)).filter((m) => m.channel === 'sms').length;
    await page.click('[data-testid=request-code]');
    await page.locator('[data-testid=code-sent]:visible').waitFor();
    const code = await server.smsCode(phone, { after: seen });
    await page.fill('#code', code);
    await page.check('#consent');
    await page.click('[data-testid=issue]');
    await page.locator('[data-testid=issued]:visible').waitFor({ timeout: 20_000 });
    await expectStatus(page, 'issued');
    await owner.shot('issued');

    // The cabinet lists the certificate, with its key in this browser.
    await page.goto('/certificates');
    const cert = page.locator('[data-testid=certificate-row]');
    await cert.waitFor();
    await eventually(async () => /Ключ в этом браузере/.test(await cert.innerText()), 'key held by this browser');
    const certId = await cert.getAttribute('data-certificate-id');
    const serial = await cert.getAttribute('data-serial');

    // The private key cannot be read out of the browser's store.
    const extractable = await page.evaluate(() => new Promise((resolve, reject) => {
      const open = indexedDB.open('mezha-keys', 1);
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const req = open.result.transaction('keys').objectStore('keys').getAll();
        req.onsuccess = () => resolve(req.result.map((r) => [r.private_key.extractable, r.private_key.type, !!r.certificate]));
        req.onerror = () => reject(req.error);
      };
    }));
    assert.deepEqual(extractable, [[false, 'private', true]]);

    // Sign a document: the report is TOTAL_PASSED and names the signer.
    await page.goto('/signatures');
    await page.setInputFiles('#sign-file', CONTRACT);
    const sign = page.locator('[data-testid=sign]');
    await eventually(async () => !(await sign.isDisabled()), 'sign button enabled');
    await sign.click();
    const indication = page.locator('[data-testid=signature-report] [data-testid=report-indication]');
    await indication.waitFor({ timeout: 15_000 });
    assert.equal(await indication.getAttribute('data-indication'), 'TOTAL_PASSED');
    assert.match(await page.locator('[data-testid=signature-report]').innerText(), /Подписантов Сергей Иванович/);
    await owner.shot('signed');

    // The same signature against a changed document: HASH_FAILURE.
    await page.setInputFiles('#check-document', CHANGED);
    await page.click('[data-testid=check]');
    const checked = page.locator('[data-testid=check-report] [data-testid=report-sub-indication]');
    await checked.waitFor();
    assert.equal(await checked.getAttribute('data-sub-indication'), 'HASH_FAILURE');
    assert.equal(await page.locator('[data-testid=check-report] [data-testid=report-indication]').getAttribute('data-indication'), 'TOTAL_FAILED');
    // And against the original, downloaded signature file: TOTAL_PASSED.
    const [sigFile] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-signature]')]);
    const sigPath = await sigFile.path();
    await page.setInputFiles('#check-document', CONTRACT);
    await page.setInputFiles('#check-signature', sigPath);
    await page.click('[data-testid=check]');
    await eventually(async () => (await page.locator('[data-testid=check-report] [data-testid=report-indication]').getAttribute('data-indication')) === 'TOTAL_PASSED',
      'the downloaded signature validates');
    await owner.shot('checked');

    // Log out, then in with the certificate: listed by name, serial and
    // validity, chosen already (the only one). The first answer to the
    // signed challenge is made "challenge_expired": the app takes a new
    // challenge and signs again by itself.
    await page.click('header button:has-text("Выйти")');
    await expectPath(page, '/login');
    await page.click('#tab-certificate');
    const choice = page.locator('[data-testid=cert-choice]');
    await choice.waitFor();
    assert.equal(await choice.count(), 1);
    assert.equal(await choice.getAttribute('data-serial'), serial);
    assert.match(await choice.innerText(), new RegExp(`Подписантов Сергей Иванович[\\s\\S]*${serial}[\\s\\S]*Действителен до \\d{2}\\.\\d{2}\\.\\d{4}`));
    assert.equal(await choice.locator('input').isChecked(), true);
    await owner.shot('certificate-login');
    const verifies = [];
    await page.route('**/api/v1/auth/cert/verify', async (route) => {
      verifies.push(route.request().postDataJSON().nonce);
      if (verifies.length > 1) return route.continue();
      return route.fulfill({
        status: 401,
        contentType: 'application/problem+json',
        body: JSON.stringify({ type: 'urn:mezha:problem:challenge_expired', title: 'Challenge expired', status: 401, code: 'challenge_expired' }),
      });
    });
    await page.click('[data-testid=cert-login-submit]');
    await expectPath(page, '/');
    await expectText(page, '[data-testid=acting-role]', 'заказчик');
    assert.equal(verifies.length, 2, 'one retry with a new challenge');
    assert.notEqual(verifies[0], verifies[1]);
    await page.unroute('**/api/v1/auth/cert/verify');
    // A new page load keeps the session (the refresh cookie), which says how it started.
    await page.goto('/sessions');
    await expectText(page, 'li.current', 'по сертификату');
    await owner.shot('certificate-session');

    // Revoked, the certificate no longer logs in; the reason is shown.
    await server.apiOk('POST', `/certificates/${certId}/revoke`, { reason: 'key_compromise' }, { token });
    await page.click('header button:has-text("Выйти")');
    await expectPath(page, '/login');
    await page.click('#tab-certificate');
    await page.click('[data-testid=cert-login-submit]');
    const refusal = page.locator('[data-testid=cert-login-error]');
    await refusal.waitFor();
    assert.equal(await refusal.getAttribute('data-code'), 'certificate_not_accepted');
    assert.match(await refusal.innerText(), /Подпись не принята[\s\S]*Ответ сервера:.*REVOKED/);
    await expectPath(page, '/login');
    await owner.shot('certificate-revoked');
  });
});

test('a browser without keys: the certificate tab says there is none here and where to get one', async () => {
  const { server, browser } = env;
  await withPage(browser, server, 'cert-none', { viewport: DESKTOP }, async (s) => {
    await s.page.goto('/login');
    await s.page.click('#tab-certificate');
    await expectText(s.page, '[data-testid=no-certificate]', 'На этом устройстве нет сертификата с ключом');
    await expectText(s.page, '[data-testid=no-certificate]', '«Подпись»');
    assert.equal(await s.page.locator('[data-testid=cert-login-submit]').isVisible(), false);
    await s.shot('no-certificate');
  });
});
