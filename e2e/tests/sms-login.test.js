// Login by phone and SMS code: the countdown until a new code may be asked
// for, the code from the outbox, and the home page of the logged-in user.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uniqueEmail, PASSWORD } from '../lib/server.js';
import {
  withPage, expectText, expectPath, eventually, DESKTOP,
} from '../lib/browser.js';
import { useServerAndBrowser } from '../lib/harness.js';

const PHONE = '+79123456789';

const env = useServerAndBrowser();

test('log in by phone with the SMS code from the outbox', async () => {
  const { server, browser } = env;
  // A confirmed account with a phone, made through the API.
  const email = uniqueEmail('sms');
  await server.registerConfirmed(email, PASSWORD, 'Сидоров Пётр');
  const { access_token: token } = await server.login(email, PASSWORD);
  const patched = await server.apiOk('PATCH', '/me', { phone: PHONE }, { token });
  assert.equal(patched.body.phone, PHONE);

  await withPage(browser, server, 'sms-login', { viewport: DESKTOP }, async (s) => {
    const { page } = s;
    await page.goto('/login');
    await expectText(page, 'h1', 'Вход');
    await page.click('#tab-sms');
    assert.equal(await page.getAttribute('#tab-sms', 'aria-selected'), 'true');
    assert.equal(await page.getAttribute('#tab-password', 'aria-selected'), 'false');
    await page.fill('#phone', '+7 912 345-67-89');
    await s.shot('phone-filled');
    await page.click('form button[type=submit]:visible');

    // Code sent: the number as the server normalised it, and the countdown.
    await expectText(page, '[role=tabpanel] [role=status]', PHONE);
    const first = await expectText(page, '[data-testid=resend-countdown]', /\d+:\d\d/);
    await page.locator('#code').waitFor();
    await s.shot('code-requested');
    // It counts down.
    await eventually(async () => (await page.innerText('[data-testid=resend-countdown]')) !== first,
      `the countdown should move from ${JSON.stringify(first)}`, 3_000);
    const [, mm, ss] = /(\d+):(\d\d)/.exec(await page.innerText('[data-testid=resend-countdown]'));
    const left = Number(mm) * 60 + Number(ss);
    assert.ok(left > 100 && left < 120, `about 2 minutes until a new code, got ${left} s`);

    // A tab switch or "change number" keeps the sent code usable.
    await page.click('#tab-password');
    await page.click('#tab-sms');
    await page.locator('#code').waitFor();
    await page.click('text=Изменить номер');
    await page.locator('#phone').waitFor();
    await page.click('form button[type=submit]:visible');
    await page.locator('#code').waitFor();
    await expectText(page, '.form-error', 'Новый код пока нельзя запросить');

    const code = await server.smsCode(PHONE);
    await page.fill('#code', code);
    await s.shot('code-filled');
    await page.click('form button[type=submit]:visible');

    // One role (customer): straight to home.
    await expectPath(page, '/');
    await expectText(page, '[data-testid=acting-role]', 'заказчик');
    await expectText(page, 'header', 'Выйти');
    await s.shot('logged-in');

    // The sessions page knows how this session started.
    await page.click('header a[href="/sessions"]');
    await expectText(page, 'h1', 'Сеансы');
    await expectText(page, 'li.current', 'по СМС');
    await s.shot('sessions');
  });
});
