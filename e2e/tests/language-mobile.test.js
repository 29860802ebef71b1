// A 375 px wide phone: the login page switches to English and back, the
// choice survives a reload, and no page scrolls sideways (logged out or in).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uniqueEmail, PASSWORD } from '../lib/server.js';
import {
  withPage, expectText, expectPath, horizontalOverflow, eventually, PHONE,
} from '../lib/browser.js';
import { useServerAndBrowser } from '../lib/harness.js';

const env = useServerAndBrowser();

async function assertNoSidewaysScroll(page, where) {
  const o = await horizontalOverflow(page);
  assert.ok(o.scrollWidth <= PHONE.width,
    `${where}: the page scrolls sideways at ${PHONE.width} px (scrollWidth ${o.scrollWidth}); too wide: ${o.wide.join(', ')}`);
}

test('login page at 375 px: English and back, no horizontal scroll', async () => {
  const { server, browser } = env;
  await withPage(browser, server, 'language-375', { viewport: PHONE }, async (s) => {
    const { page } = s;
    await page.goto('/login');
    await expectText(page, 'h1', 'Вход');
    await expectText(page, '#tab-password', 'По паролю');
    await expectText(page, 'label[for=email]', 'Электронная почта');
    assert.equal(await page.getAttribute('html', 'lang'), 'ru');
    await assertNoSidewaysScroll(page, 'login (ru)');
    await s.shot('login-ru');

    const lang = page.locator('header button.lang');
    await expectText(page, 'header button.lang', 'English');
    await lang.click();
    await expectText(page, 'h1', 'Log in');
    await expectText(page, '#tab-password', 'With password');
    await expectText(page, '#tab-sms', 'With SMS code');
    await expectText(page, 'label[for=email]', 'E-mail');
    await expectText(page, 'label[for=password]', 'Password');
    await expectText(page, 'header button.lang', 'Русский');
    await eventually(async () => (await page.getAttribute('html', 'lang')) === 'en', '<html lang> should become en');
    await assertNoSidewaysScroll(page, 'login (en)');
    await s.shot('login-en');

    // The SMS tab in English, at 375 px.
    await page.click('#tab-sms');
    await expectText(page, 'label[for=phone]', 'Phone');
    await assertNoSidewaysScroll(page, 'login SMS tab (en)');
    await s.shot('login-sms-en');

    // The certificate tab in English, at 375 px: this browser has no key.
    await page.click('#tab-certificate');
    await expectText(page, '#tab-certificate', 'With a certificate');
    await expectText(page, '[data-testid=no-certificate]', 'There is no certificate with its key on this device.');
    await assertNoSidewaysScroll(page, 'login certificate tab (en)');
    await s.shot('login-certificate-en');

    // The choice is remembered.
    await page.reload();
    await expectText(page, 'h1', 'Log in');
    await eventually(async () => (await page.getAttribute('html', 'lang')) === 'en',
      '<html lang> should be en after a reload with English chosen');
    await s.shot('login-en-reloaded');

    await page.locator('header button.lang').click();
    await expectText(page, 'h1', 'Вход');
    await expectText(page, '#tab-password', 'По паролю');
    await expectText(page, 'header button.lang', 'English');
    await eventually(async () => (await page.getAttribute('html', 'lang')) === 'ru', '<html lang> should be ru again');
    await assertNoSidewaysScroll(page, 'login (ru again)');
    await s.shot('login-ru-again');

    // The other pages a visitor sees, at the same width.
    for (const [url, heading, step] of [
      ['/', 'Межа', 'home'],
      ['/register', 'Регистрация', 'register'],
      ['/reset-password', 'Восстановление пароля', 'reset-password'],
    ]) {
      await page.goto(url);
      await expectText(page, 'h1', heading);
      await assertNoSidewaysScroll(page, url);
      await s.shot(step);
    }
  });
});

test('logged-in pages at 375 px do not scroll sideways', async () => {
  const { server, browser } = env;
  const email = uniqueEmail('phone');
  await server.registerConfirmed(email, PASSWORD, 'Кузнецова-Оглы Мария-Луиза Константиновна');
  await withPage(browser, server, 'logged-in-375', { viewport: PHONE }, async (s) => {
    const { page } = s;
    await page.goto('/login');
    await page.fill('#email', email);
    await page.fill('#password', PASSWORD);
    await page.click('form button[type=submit]:visible');
    await expectPath(page, '/');
    await expectText(page, '[data-testid=acting-role]', 'заказчик');
    await assertNoSidewaysScroll(page, 'home (logged in)');
    await s.shot('home');

    await page.click('header a[href="/profile"]');
    await expectText(page, 'h1', 'Профиль');
    await page.locator('#snils').waitFor();
    await assertNoSidewaysScroll(page, 'profile');
    await s.shot('profile');

    await page.click('header a[href="/sessions"]');
    await expectText(page, 'h1', 'Сеансы');
    await page.locator('li.current').waitFor();
    await assertNoSidewaysScroll(page, 'sessions');
    await s.shot('sessions');

    await page.click('header a[href="/engineers"]');
    await expectText(page, 'h1', 'Кадастровые инженеры');
    await page.locator('[data-testid=engineer-list-empty]:visible').waitFor();
    await assertNoSidewaysScroll(page, 'engineer search');
    await s.shot('engineers');

    await page.goto('/employees');
    await page.locator('[data-testid=employer-settings]:visible').waitFor();
    await assertNoSidewaysScroll(page, 'employer settings');
    await s.shot('employees');

    await page.goto('/sessions');
    await page.locator('li.current').waitFor();
    await page.locator('header button.lang').click();
    await expectText(page, 'h1', 'Sessions');
    await assertNoSidewaysScroll(page, 'sessions (en)');
    await s.shot('sessions-en');
  });
});
