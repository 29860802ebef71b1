// The account journey: register → confirm by the mailed link → password login
// with two roles → role choice → switch back in the header → profile edit with
// the server's per-field error → a photo uploaded and removed → reload keeps the
// session → log out.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uniqueEmail, accountFor, PASSWORD } from '../lib/server.js';
import {
  withPage, expectText, expectPath, expectValue, eventually, jpegPhoto, loadedSquare, DESKTOP,
} from '../lib/browser.js';
import { useServerAndBrowser } from '../lib/harness.js';

const env = useServerAndBrowser();

test('register, confirm, choose a role, switch it, edit the profile, reload, log out', async () => {
  const { server, browser } = env;
  const email = uniqueEmail('account');
  await withPage(browser, server, 'account', { viewport: DESKTOP }, async (s) => {
    const { page } = s;

    // --- register
    await page.goto('/register');
    await expectText(page, 'h1', 'Регистрация');
    await page.fill('#email', email);
    await page.fill('#password', PASSWORD);
    await page.fill('#full_name', 'Петрова Анна Сергеевна');
    await s.shot('register-filled');
    await page.click('form button[type=submit]:visible');
    await expectText(page, 'h1', 'Проверьте почту');
    await expectText(page, 'main strong, section strong', email);
    await s.shot('register-done');

    // --- confirm with the link from the mail, opened in the browser
    const link = await server.confirmationLink(email);
    assert.match(link, /\/confirm-email\?token=/);
    const confirmPath = link.slice(link.indexOf('/confirm-email'));
    await page.goto(confirmPath);
    await expectText(page, 'h1', 'Подтверждение почты');
    await expectText(page, '[role=status].success', 'Адрес подтверждён');
    await s.shot('email-confirmed');

    // A second role before the first login: the account is customer + moderator.
    await server.staff(email, PASSWORD, 'moderator');

    // --- log in by password (from the link on the confirmation page)
    await page.click('section a[href="/login"]');
    await expectPath(page, '/login');
    await expectText(page, 'h1', 'Вход');
    assert.equal(await page.getAttribute('#tab-password', 'aria-selected'), 'true');
    await page.fill('#email', email);
    await page.fill('#password', PASSWORD);
    await s.shot('login-filled');
    await page.click('form button[type=submit]:visible');

    // --- two roles: the role choice
    await expectPath(page, '/choose-role');
    await expectText(page, 'h1', 'Выберите роль');
    await page.locator('button[data-role=moderator]').waitFor();
    await page.locator('button[data-role=customer]').waitFor();
    await expectText(page, 'button[data-role=moderator]', 'Войти как модератор');
    await s.shot('choose-role');
    await page.click('button[data-role=moderator]');

    await expectPath(page, '/');
    await expectText(page, '[data-testid=acting-role]', 'модератор');
    await expectValue(page, '#acting-role', 'moderator');
    await expectText(page, 'header nav', 'Модерация');
    await s.shot('home-as-moderator');

    // --- switch back to customer in the header
    await page.selectOption('#acting-role', 'customer');
    await expectText(page, '[data-testid=acting-role]', 'заказчик');
    await expectText(page, 'header nav', 'Мои заказы');
    await s.shot('home-as-customer');

    // --- profile: the server's SNILS error beside the field
    await page.click('header a[href="/profile"]');
    await expectPath(page, '/profile');
    await expectText(page, 'h1', 'Профиль');
    await expectValue(page, '#full_name', 'Петрова Анна Сергеевна');
    await expectValue(page, '#email', email);
    await page.fill('#snils', '112-233-445 96');
    await page.click('[data-testid=profile-form] button[type=submit]');
    await expectText(page, '[data-field-error=snils]', 'Неверная контрольная сумма СНИЛС');
    assert.equal(await page.getAttribute('#snils', 'aria-invalid'), 'true');
    // the message sits inside the SNILS field's box and is announced with it
    assert.equal(await page.locator('.field:has(#snils) [data-field-error=snils]').count(), 1);
    assert.match(await page.getAttribute('#snils', 'aria-describedby'), /snils-error/);
    await expectText(page, '.form-error', 'Проверьте выделенные поля');
    await s.shot('profile-snils-error');

    await page.fill('#snils', '112-233-445 95');
    await page.click('[data-testid=profile-form] button[type=submit]');
    await expectText(page, '[data-testid=profile-form] .success', 'Изменения сохранены');
    assert.equal(await page.locator('[data-field-error=snils]').count(), 0);
    assert.equal(await page.getAttribute('#snils', 'aria-invalid'), 'false');
    await expectValue(page, '#snils', '112-233-445 95');
    await s.shot('profile-saved');

    // The server has it, too.
    const apiLogin = await server.login(email, PASSWORD);
    const me = await server.apiOk('GET', '/me', undefined, { token: apiLogin.access_token });
    assert.equal(me.body.snils, '112-233-445 95');

    // --- a photo: uploaded with its progress, shown, then removed (the
    // unsaved text of the form stays as typed)
    const picker = page.locator('[data-testid=avatar-field]');
    await picker.locator('[data-testid=avatar-placeholder]').waitFor();
    await page.fill('#inn', '5001');
    await page.setInputFiles('[data-testid=avatar-input]', {
      name: 'me.jpg', mimeType: 'image/jpeg', buffer: await jpegPhoto(page),
    });
    await loadedSquare(page, '[data-testid=avatar-photo]');
    await expectValue(page, '#inn', '5001');
    await s.shot('profile-photo');
    const withPhoto = await server.apiOk('GET', '/me', undefined, { token: apiLogin.access_token });
    assert.match(withPhoto.body.avatar_url, /^\/api\/v1\/users\/[0-9a-f-]{36}\/avatar\?v=[0-9a-f]{32}$/);
    await picker.locator('[data-testid=avatar-remove]').click();
    await picker.locator('[data-testid=avatar-placeholder]').waitFor();
    assert.equal(await picker.locator('[data-testid=avatar-remove]:visible').count(), 0);
    const without = await server.apiOk('GET', '/me', undefined, { token: apiLogin.access_token });
    assert.equal(without.body.avatar_url, null);
    await page.fill('#inn', '');

    // --- a customer's requisites, under the profile: a sole proprietor's,
    // the OGRNIP's check digit checked by the server
    const requisites = page.locator('[data-testid=customer-requisites]');
    await requisites.locator('[data-testid=requisites-form]').waitFor();
    await page.fill('#req-recipient', 'ИП Петрова Анна Сергеевна');
    await page.fill('#req-inn', '500100732259');
    await page.fill('#req-ogrn', '304500116000158');
    await page.fill('#req-bank_name', 'ПАО Сбербанк');
    await page.fill('#req-bik', '044525225');
    await page.fill('#req-account', accountFor('044525225', '40802810000000000007'));
    await page.fill('#req-correspondent_account', '30101810400000000225');
    await requisites.locator('button[type=submit]').click();
    await expectText(page, '[data-field-error=ogrn]', 'Контрольная цифра не сходится');
    await s.shot('customer-requisites-refused');
    await page.fill('#req-ogrn', '304500116000157');
    await requisites.locator('button[type=submit]').click();
    await page.locator('[data-testid=requisites-saved]:visible').waitFor();
    await s.shot('customer-requisites-saved');
    const saved = await server.apiOk('GET', '/me/requisites', undefined, { token: apiLogin.access_token });
    assert.equal(saved.body.requisites.ogrn, '304500116000157');

    // --- reload: the refresh cookie brings the session back
    await page.reload();
    await expectPath(page, '/profile');
    await expectValue(page, '#snils', '112-233-445 95');
    await expectValue(page, '#acting-role', 'customer');
    await s.shot('profile-after-reload');

    // --- no token where scripts can read it; the refresh cookie is httpOnly
    const storage = await page.evaluate(() => {
      const dump = (st) => Object.fromEntries(Array.from({ length: st.length }, (_, i) => [st.key(i), st.getItem(st.key(i))]));
      return { local: dump(localStorage), session: dump(sessionStorage), cookie: document.cookie };
    });
    const everything = JSON.stringify(storage);
    assert.doesNotMatch(everything, /eyJ[\w-]+\.[\w-]+\./, `a JWT is readable by scripts: ${everything}`);
    assert.doesNotMatch(everything, /token|refresh|access/i, `a token is readable by scripts: ${everything}`);
    assert.doesNotMatch(storage.cookie, /mezha_refresh/, 'the refresh cookie is visible to document.cookie');
    const cookies = await s.context.cookies();
    const refresh = cookies.find((c) => c.name === 'mezha_refresh');
    assert.ok(refresh, `no refresh cookie; cookies: ${JSON.stringify(cookies.map((c) => c.name))}`);
    assert.equal(refresh.httpOnly, true, 'the refresh cookie must be httpOnly');
    assert.equal(refresh.sameSite, 'Strict');
    assert.equal(refresh.path, '/api/v1/auth');

    // --- log out
    await page.click('header button:has-text("Выйти")');
    await expectPath(page, '/login');
    await expectText(page, 'h1', 'Вход');
    assert.equal(await page.locator('[data-testid=session-ended]').count(), 0,
      'a deliberate logout must not say the session ended');
    await expectText(page, 'header', 'Регистрация');
    assert.equal(await page.locator('#acting-role').count(), 0);
    await eventually(async () => !(await s.context.cookies()).some((c) => c.name === 'mezha_refresh' && c.value),
      'the refresh cookie should be gone after logout');
    await s.shot('logged-out');

    // A reload stays logged out, and the protected page sends us to login.
    await page.goto('/profile');
    await expectPath(page, '/login');
    await expectText(page, 'h1', 'Вход');
  });
});
