// A confirmed organisation for a test, set up quickly: the head registers
// through the API, the platform CA issues his certificate in a browser, he
// signs the platform offer there and then, in the same page, uploads a
// machine-readable power of attorney (МЧД) for the employee and signs it with
// the same key; the employee joins by the mailed invitation (through the API),
// is activated and given `rights`.

import assert from 'node:assert/strict';
import { uniqueEmail, randomSnils, randomPhone, PASSWORD } from './server.js';
import { logIn, withPage, eventually, DESKTOP } from './browser.js';
import { approvedApplication, issueInBrowser } from './certificates.js';
import { powerOfAttorneyXml } from './poa.js';

/** The requisites of the test organisation (valid INN, KPP, OGRN). */
export const ORGANISATION = {
  full_name: 'Общество с ограниченной ответственностью «Агентство недвижимости „Квартал“»',
  short_name: 'ООО «АН „Квартал“»',
  inn: '7707083893',
  kpp: '770701001',
  ogrn: '1027700132195',
  address: 'г. Москва, ул. Тверская, д. 1',
  head_name: 'Сидоров Алексей Петрович',
  head_position: 'генерального директора',
};

/** The path and query of the link of `pathPrefix` mailed to `email`. */
export async function mailedLink(server, email, pathPrefix) {
  const link = await server.waitForMessage(email, (m) => {
    const match = new RegExp(`https?://\\S+${pathPrefix}\\?token=[^\\s"'<>]+`).exec(m.body);
    return m.channel === 'email' && match ? match[0] : null;
  }, `${pathPrefix} link`);
  const url = new URL(link);
  return url.pathname + url.search;
}

/** The requisites of another organisation: an МЧД of its is refused. */
const OTHER_ORGANISATION = {
  ...ORGANISATION,
  full_name: 'Общество с ограниченной ответственностью «Квартал-Сервис»',
  inn: '7734123457',
  kpp: '773401001',
  ogrn: '1157746123457',
};

/**
 * The head, in his page at the confirmed organisation, uploads an МЧД for
 * `representative` (`fullName`, `snils`) through the organisation's page —
 * after one of another organisation is refused with a clear message — and
 * signs it in the browser with his key. Returns the МЧД's
 * `{ number, internalNumber, … }`.
 */
export async function issuePowerOfAttorney(h, representative) {
  const { page } = h;
  const section = page.locator('[data-testid=org-poa]');
  await section.locator('[data-testid=poa-upload-form]').waitFor();
  assert.match(await section.locator('[data-testid=poa-limit]').innerText(), /1,0 МБ/, 'the limit is shown');
  const other = powerOfAttorneyXml({ organisation: OTHER_ORGANISATION, representative });
  await page.setInputFiles('#poa-file', { name: 'other.xml', mimeType: 'application/xml', buffer: Buffer.from(other.xml) });
  await page.click('[data-testid=poa-upload]');
  const refusal = section.locator('[data-testid=poa-upload-error]:visible');
  await refusal.waitFor();
  assert.match(await refusal.innerText(), /другой организацией/, 'the МЧД of another organisation is refused in words');

  const poa = powerOfAttorneyXml({ organisation: ORGANISATION, representative });
  await page.setInputFiles('#poa-file', { name: 'poa.xml', mimeType: 'application/xml', buffer: Buffer.from(poa.xml) });
  await page.click('[data-testid=poa-upload]');
  const item = section.locator('[data-testid=poa]', { hasText: poa.internalNumber });
  await item.locator('[data-status=awaiting_signature]').waitFor();
  const panel = section.locator('[data-testid=poa-sign-panel]');
  await panel.waitFor();
  const sign = panel.locator('[data-testid=sign]');
  await eventually(async () => !(await sign.isDisabled()), 'the МЧД loaded for signing');
  await h.shot('poa-uploaded');
  await sign.click();
  await item.locator('[data-status=active]').waitFor({ timeout: 15_000 });
  await section.locator('[data-testid=poa-done]:visible').waitFor();
  await h.shot('poa');
  return poa;
}

/**
 * A confirmed organisation and an active employee holding `rights`, with an
 * active МЧД naming him by `clerkSnils` (random unless given: his certificate
 * must carry it); `{ orgId, headEmail, clerkEmail, clerkSnils, poa, operatorToken }`
 * (the CA operator's token, for approving more certificate applications).
 * `prefix` names the accounts and the head's screenshots.
 */
export async function organisationWithClerk(server, browser, {
  prefix, rights, clerkName = 'Клеркова Мария Ивановна', clerkSnils = randomSnils(),
}) {
  const operatorEmail = uniqueEmail(`${prefix}-ca`);
  await server.staff(operatorEmail, PASSWORD, 'ca_operator');
  const operatorToken = (await server.login(operatorEmail, PASSWORD)).access_token;
  const headEmail = uniqueEmail(`${prefix}-head`);
  const head = { fullName: ORGANISATION.head_name, snils: randomSnils(), phone: randomPhone() };
  await server.registerConfirmed(headEmail, PASSWORD, head.fullName);
  const headToken = (await server.login(headEmail, PASSWORD)).access_token;
  await server.apiOk('PATCH', '/me', { snils: head.snils }, { token: headToken });
  await server.confirmPhone(headToken, head.phone);
  const application = await approvedApplication(server, headToken, head, operatorToken);
  const org = (await server.apiOk('POST', '/organisations', ORGANISATION, { token: headToken }, 201)).body;
  let poa;

  await withPage(browser, server, `${prefix}-head`, { viewport: DESKTOP }, async (h) => {
    const { page } = h;
    await logIn(page, headEmail, 'customer');
    await issueInBrowser(server, page, application, head.phone);
    await page.goto(`/organisation?id=${org.id}`);
    const sign = page.locator('[data-testid=org-sign] [data-testid=sign]');
    await sign.waitFor();
    await eventually(async () => !(await sign.isDisabled()), 'the sign button enabled');
    await sign.click();
    await page.locator('[data-testid=org-title] [data-status=confirmed]').waitFor({ timeout: 15_000 });
    poa = await issuePowerOfAttorney(h, { fullName: clerkName, snils: clerkSnils });
  });

  const admin = (await server.apiOk('POST', '/me/acting-role', { role: 'org_admin' },
    { token: (await server.login(headEmail, PASSWORD)).access_token })).body.access_token;
  const clerkEmail = uniqueEmail(`${prefix}-clerk`);
  await server.registerConfirmed(clerkEmail, PASSWORD, clerkName);
  await server.apiOk('POST', `/organisations/${org.id}/invitations`, { email: clerkEmail }, { token: admin });
  const invitation = new URLSearchParams((await mailedLink(server, clerkEmail, '/invitation')).split('?')[1]);
  const clerkToken = (await server.login(clerkEmail, PASSWORD)).access_token;
  const joined = (await server.apiOk('POST', '/invitations/accept', { token: invitation.get('token') }, { token: clerkToken })).body;
  const members = (await server.apiOk('GET', `/organisations/${org.id}/members`, undefined, { token: admin })).body.items;
  const clerk = members.find((m) => m.email === clerkEmail);
  assert.ok(clerk, `the clerk is a member: ${JSON.stringify(joined)}`);
  await server.apiOk('POST', `/organisations/${org.id}/members/${clerk.user_id}/activate`, undefined, { token: admin });
  await server.apiOk('PUT', `/organisations/${org.id}/members/${clerk.user_id}/rights`, { rights }, { token: admin });
  return { orgId: org.id, headEmail, clerkEmail, clerkSnils, poa, operatorToken };
}
