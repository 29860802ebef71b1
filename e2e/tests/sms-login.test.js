// Login by phone and SMS code: the countdown until a new code may be asked
// for, the code from the outbox, and the home page of the logged-in user;
// then the SMS second factor switched on in the profile, and the password
// login asking for the code.

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
  const confirmed = await server.confirmPhone(token, PHONE);
  assert.equal(confirmed.body.phone, PHONE);
  assert.equal(confirmed.body.phone_confirmed, true);

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

    // The SMS second factor: on in the profile with the password; then the
    // password alone asks for the code sent to the confirmed phone.
    await page.click('header a[href="/profile"]');
    await expectText(page, '[data-testid=phone-current]', PHONE);
    await expectText(page, '[data-testid=phone-current]', 'подтверждён');
    await expectText(page, '[data-testid=second-factor-state]', 'Выключен');
    await page.fill('#second-factor-password', 'not the password');
    await page.click('[data-testid=second-factor-form] button[type=submit]');
    await expectText(page, '[data-field-error=second-factor-password]', 'Пароль неверен');
    await page.fill('#second-factor-password', PASSWORD);
    await page.click('[data-testid=second-factor-form] button[type=submit]');
    await expectText(page, '[data-testid=second-factor-state]', 'Включён');
    await s.shot('second-factor-on');

    await page.click('header button:has-text("Выйти")');
    await expectPath(page, '/login');
    const seen = (await server.outbox(PHONE)).filter((m) => m.channel === 'sms').length;
    await page.fill('#email', email);
    await page.fill('#password', PASSWORD);
    await page.click('form button[type=submit]:visible');
    await page.locator('[data-testid=second-factor]').waitFor();
    await expectText(page, '[data-testid=second-factor] [role=status]', '89');
    await s.shot('second-factor-asked');
    const second = await server.smsCode(PHONE, { after: seen });
    await page.fill('#second-factor-code', second);
    await page.click('[data-testid=second-factor] button[type=submit]');
    await expectPath(page, '/');
    await expectText(page, 'header', 'Выйти');
  });
});
