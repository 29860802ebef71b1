// Certificates of the platform CA for a test's accounts: an application made
// and approved through the API, and the certificate issued in a browser, whose
// key then stays in that browser (signing there with `SignDocument`).

import assert from 'node:assert/strict';

/** A small PDF uploaded as the account behind `token`; its file id. */
export async function upload(server, token, name) {
  const res = await fetch(`${server.url}/api/v1/files?name=${name}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf' },
    body: `%PDF-1.7 ${name}`,
  });
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()).id;
}

/** An approved certificate application of the account behind `token`. */
export async function approvedApplication(server, token, { fullName, snils, phone }, operatorToken) {
  const created = await server.apiOk('POST', '/certificate-applications', {
    full_name: fullName,
    snils,
    phone,
    passport_series: '4508',
    passport_number: '123456',
    passport_issued_by: 'ОВД района Арбат г. Москвы',
    passport_issued_on: '2010-05-04',
    purpose: 'Подписание договоров и актов на платформе',
  }, { token }, 201);
  const id = created.body.id;
  await server.apiOk('PATCH', `/certificate-applications/${id}`, {
    passport_scan_id: await upload(server, token, 'passport.pdf'),
    snils_scan_id: await upload(server, token, 'snils.pdf'),
    form_scan_id: await upload(server, token, 'form.pdf'),
  }, { token });
  await server.apiOk('POST', `/certificate-applications/${id}/submit`, {}, { token });
  await server.apiOk('POST', `/certificate-applications/${id}/approve`, {}, { token: operatorToken });
  return id;
}

/** The key made and kept in this browser, its certificate issued by SMS code. */
export async function issueInBrowser(server, page, applicationId, phone) {
  await page.goto(`/certificate-applications/${applicationId}`);
  await page.locator('[data-testid=issue-form]:visible').waitFor();
  const seen = (await server.outbox(phone)).filter((m) => m.channel === 'sms').length;
  await page.click('[data-testid=request-code]');
  await page.locator('[data-testid=code-sent]:visible').waitFor();
  await page.fill('#code', await server.smsCode(phone, { after: seen }));
  await page.check('#consent');
  await page.click('[data-testid=issue]');
  await page.locator('[data-testid=issued]:visible').waitFor({ timeout: 20_000 });
}
