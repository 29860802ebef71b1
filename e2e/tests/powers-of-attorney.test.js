// Powers of attorney (МЧД, docs/power-of-attorney.md) on the organisation's
// page. The head uploads one for the employee and signs it in his browser
// (lib/organisations.js, where one of another organisation is refused in
// words first); the employee sees it in force with its powers in words but
// none of the admin's controls; the head revokes it — the reason is asked
// for, then shown — and the section reads in English too.
// Screenshots: e2e/artifacts/pa-*, poa-*.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD } from '../lib/server.js';
import { logIn, withPage, expectText, DESKTOP } from '../lib/browser.js';
import { useServerAndBrowser } from '../lib/harness.js';
import { organisationWithClerk } from '../lib/organisations.js';

const env = useServerAndBrowser();

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** The section's text shows no wire names and no id but the МЧД's own registry number. */
async function assertClean(page, poa) {
  const text = await page.locator('[data-testid=org-poa]').innerText();
  for (const wire of ['awaiting_signature', 'sign_statements', 'MEZHA.DEAL', 'poa_']) {
    assert.ok(!text.includes(wire), `the section shows "${wire}":\n${text}`);
  }
  const ids = (text.match(UUID) ?? []).filter((id) => id !== poa.number);
  assert.deepEqual(ids, [], `the section shows an id:\n${text}`);
}

test('the employee sees his power of attorney; the head revokes it with a reason', async () => {
  const { server, browser } = env;
  const { orgId, headEmail, clerkEmail, poa } = await organisationWithClerk(server, browser, {
    prefix: 'pa', rights: ['create_deals', 'sign_on_behalf'], clerkName: 'Доверенная Ольга Павловна',
  });

  await withPage(browser, server, 'poa-clerk', { viewport: DESKTOP }, async (c) => {
    const { page } = c;
    await logIn(page, clerkEmail, 'org_employee');
    await page.goto(`/organisation?id=${orgId}`);
    const item = page.locator('[data-testid=org-poa] [data-testid=poa]', { hasText: poa.internalNumber });
    await item.locator('[data-status=active]').waitFor();
    await expectText(page, '[data-testid=org-poa] [data-testid=poa-powers]', 'Подписывать заявления о регистрации');
    await expectText(page, '[data-testid=org-poa] [data-field=representative]', 'Доверенная Ольга Павловна');
    assert.equal(await page.locator('[data-testid=poa-upload-form]').count(), 0, 'no upload for an employee');
    assert.equal(await item.locator('[data-testid=poa-revoke], [data-testid=poa-sign]').count(), 0, 'no admin buttons');
    assert.equal(await item.locator('[data-testid=poa-xml]').count(), 1, 'the XML to download');
    await assertClean(page, poa);
    await c.shot('employee');
  });

  await withPage(browser, server, 'poa-head', { viewport: DESKTOP }, async (h) => {
    const { page } = h;
    await logIn(page, headEmail, 'org_admin');
    await page.goto(`/organisation?id=${orgId}`);
    const item = page.locator('[data-testid=org-poa] [data-testid=poa]', { hasText: poa.internalNumber });
    await item.locator('[data-status=active]').waitFor();
    await item.locator('[data-testid=poa-revoke]').click();
    const panel = page.locator('[data-testid=poa-revoke-panel]');
    await panel.waitFor();
    await panel.locator('[data-testid=poa-revoke-submit]').click();
    await panel.locator('[data-field-error=poa-revoke-reason]:visible').waitFor();
    await page.fill('#poa-revoke-reason', 'Сотрудник переведён в другой отдел');
    await panel.locator('[data-testid=poa-revoke-submit]').click();
    await item.locator('[data-status=revoked]').waitFor();
    await expectText(page, '[data-testid=org-poa] [data-field=revoked]', 'Сотрудник переведён в другой отдел');
    await page.locator('[data-testid=poa-revoke-panel]').waitFor({ state: 'detached' });
    assert.equal(await item.locator('[data-testid=poa-revoke]').count(), 0, 'no revoking twice');
    await assertClean(page, poa);
    await h.shot('revoked');

    await page.click('header button.lang');
    await expectText(page, '[data-testid=org-poa] h2', 'Powers of attorney');
    await expectText(page, '[data-testid=org-poa] [data-testid=poa]', 'revoked');
    await expectText(page, '[data-testid=org-poa] [data-testid=poa-powers]', 'Sign the registration statements');
    await assertClean(page, poa);
    await h.shot('revoked-en');
  });

  const admin = (await server.apiOk('POST', '/me/acting-role', { role: 'org_admin' },
    { token: (await server.login(headEmail, PASSWORD)).access_token })).body.access_token;
  const list = (await server.apiOk('GET', `/organisations/${orgId}/powers-of-attorney`, undefined, { token: admin })).body;
  assert.equal(list.items[0].status, 'revoked');
});
