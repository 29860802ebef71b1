// Engineers, employers and moderation (docs/API.md, "Engineers and
// employers"; docs/employers.md) in the browser: an
// engineer fills his profile and requisites and uploads his photo, shown on
// his public card and page; an employer turns on "I employ
// cadastral engineers", an engineer asks to join from his Employer tab, the
// employer approves and suspends him; a customer finds engineers in the
// public search and offers an order from an engineer's page (a refusal, then
// a success); a moderator imports the SRO registry and blocks an engineer.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uniqueEmail, randomSnils, accountFor, PASSWORD } from '../lib/server.js';
import {
  logIn, withPage, eventually, expectPath, jpegPhoto, loadedSquare, DESKTOP,
} from '../lib/browser.js';
import { useServerAndBrowser } from '../lib/harness.js';

const env = useServerAndBrowser();
const WORK = 'land_plot_boundary_clarification';
const PDF = { name: 'document.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n') };

/** The text of a locator once it matches `pattern`. */
async function expectMatch(locator, pattern, what) {
  return eventually(async () => {
    const text = await locator.innerText();
    assert.match(text, pattern);
    return text;
  }, what);
}

test('an engineer fills his profile and requisites; the missing fields go away', async () => {
  const { server, browser } = env;
  const engineer = await server.engineerAccount(uniqueEmail('profile'), { fullName: 'Земельный Иван Петрович' });

  await withPage(browser, server, 'eng-profile', { viewport: DESKTOP }, async (s) => {
    const { page } = s;
    await logIn(page, engineer.email, 'engineer');
    await page.click('a[href="/engineer-profile"]');
    await expectPath(page, '/engineer-profile');
    const missing = page.locator('[data-testid=missing-fields]');
    await missing.waitFor();
    const empty = await expectMatch(missing, /реквизиты/, 'the missing fields named');
    for (const field of [/регионы деятельности/, /виды работ с ценой/, /контакты/]) assert.match(empty, field);
    await page.locator('#region-add option[value="50"]').waitFor({ state: 'attached' });
    await s.shot('empty');

    // A phone that is not one is refused beside the field.
    await page.fill('#contact_phone', '12');
    await page.click('[data-testid=engineer-profile-form] button[type=submit]');
    await page.locator('[data-field-error=contact_phone]:visible').waitFor();
    await s.shot('phone-refused');

    await page.fill('#contact_phone', '+7 912 345-67-89');
    await page.fill('#contact_email', 'zemelny@kadastr.example');
    await page.fill('#contact_other', 'Telegram @zemelny, 9:00–18:00');
    await page.fill('#website', 'https://zemelny.example');
    await page.fill('#residence', 'г. Раменское');
    await page.fill('#experience_years', '12');
    await page.fill('#working_hours', 'пн–пт 9:00–18:00');
    await page.fill('#education', 'МИИГАиК, 2008');
    await page.fill('#about', 'Межевание, технические планы, вынос границ.');
    await page.selectOption('#region-add', '50');
    await page.selectOption('#region-add', '77');
    await page.locator('[data-testid=region-chips] li[data-region="77"]').waitFor();
    await page.check(`#wt-${WORK}`);
    await page.fill(`#wt-${WORK}-price`, '15000');
    await page.check('#wt-map_plan');
    await page.check('#accept_offers', { force: true });
    await page.setInputFiles('#diploma-files', PDF);
    await page.locator('[data-testid=diploma-files-list] li').waitFor();
    await page.click('[data-testid=engineer-profile-form] button[type=submit]');
    await page.locator('[data-testid=profile-saved]:visible').waitFor();
    await expectMatch(missing, /реквизиты/, 'only the requisites missing');
    assert.doesNotMatch(await missing.innerText(), /регионы/);
    await s.shot('saved');

    const saved = await server.apiOk('GET', '/me/engineer-profile', undefined, { token: engineer.token });
    assert.deepEqual(saved.body.regions, ['50', '77']);
    assert.deepEqual(saved.body.work_types, [
      { work_type: WORK, price: 15000 },
      { work_type: 'map_plan', price: null },
    ]);
    assert.equal(saved.body.contacts.phone, '+79123456789');
    assert.equal(saved.body.experience_years, 12);
    assert.equal(saved.body.diploma_file_ids.length, 1);
    assert.deepEqual(saved.body.missing_fields, ['requisites']);

    // Requisites: a wrong control key is refused beside the account.
    await page.click('#tab-requisites');
    const bik = '044525225';
    const good = accountFor(bik, '40802810000000000007');
    const bad = good.slice(0, 8) + String((Number(good[8]) + 1) % 10) + good.slice(9);
    await page.fill('#req-recipient', 'ИП Земельный Иван Петрович');
    await page.fill('#req-inn', '500100732259');
    await page.fill('#req-bank_name', 'ПАО Сбербанк');
    await page.fill('#req-bik', bik);
    await page.fill('#req-account', bad);
    await page.fill('#req-correspondent_account', '30101810400000000225');
    await page.click('[data-testid=requisites-form] button[type=submit]');
    await page.locator('[data-field-error=account]:visible').waitFor();
    await s.shot('requisites-refused');
    await page.fill('#req-account', good);
    await page.click('[data-testid=requisites-form] button[type=submit]');
    await page.locator('[data-testid=requisites-saved]:visible').waitFor();
    await s.shot('requisites-saved');

    await page.click('#tab-main');
    await page.locator('[data-testid=profile-complete]:visible').waitFor();
    await s.shot('complete');

    // --- his photo: an image uploaded from the profile page (what is not
    // one is refused by the server), then on his public card and page
    await page.goto('/profile');
    const picker = page.locator('[data-testid=avatar-field]');
    await picker.locator('[data-testid=avatar-placeholder]').waitFor();
    await page.setInputFiles('[data-testid=avatar-input]', {
      name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from('<!doctype html><p>not a picture</p>'),
    });
    await expectMatch(picker.locator('[data-testid=avatar-error]'), /тип файла не принимается/, 'the refusal shown');
    await s.shot('photo-refused');
    await page.setInputFiles('[data-testid=avatar-input]', {
      name: 'photo.jpg', mimeType: 'image/jpeg', buffer: await jpegPhoto(page),
    });
    const side = await loadedSquare(page, '[data-testid=avatar-photo]');
    assert.ok([256, 512].includes(side), `the profile shows ${side} px`);
    assert.equal(await picker.locator('[data-testid=avatar-error]').count(), 0);
    await picker.locator('[data-testid=avatar-remove]:visible').waitFor();
    await s.shot('photo');
    const me = await server.apiOk('GET', '/me', undefined, { token: engineer.token });
    assert.match(me.body.avatar_url, new RegExp(`^/api/v1/users/${engineer.id}/avatar\\?v=[0-9a-f]{32}$`));

    await page.goto('/engineers');
    assert.ok([64, 256].includes(
      await loadedSquare(page, `[data-engineer-id="${engineer.id}"] img[data-testid=engineer-photo]`),
    ));
    await s.shot('photo-on-card');
    await page.goto(`/engineers/${engineer.id}`);
    assert.ok([64, 256].includes(await loadedSquare(page, 'main img[data-testid=engineer-photo]')));
    await s.shot('photo-on-page');
  });
  const listed = await server.apiOk('GET', `/engineers/${engineer.id}`);
  assert.equal(listed.body.full_name, 'Земельный Иван Петрович');
  assert.match(listed.body.photo_url, new RegExp(`^/api/v1/users/${engineer.id}/avatar\\?v=`));
});

test('an employer turns the switch on, approves an engineer\'s join request and suspends him', async () => {
  const { server, browser } = env;
  const employerEmail = uniqueEmail('employer');
  await server.registerConfirmed(employerEmail, PASSWORD, 'Орлова Мария Ивановна');
  const engineer = await server.engineer(uniqueEmail('staff'), { fullName: 'Штатный Олег Петрович' });

  await withPage(browser, server, 'employer-switch', { viewport: DESKTOP }, async (s) => {
    const { page } = s;
    await logIn(page, employerEmail, 'customer');
    await page.goto('/profile');
    await page.click('[data-testid=employer-link]');
    await expectPath(page, '/employees');
    await page.locator('[data-testid=employer-settings]:visible').waitFor();
    await page.check('#employs_engineers', { force: true });
    await page.fill('#org_name', 'ООО «Кадастр-Юг»');
    await page.fill('#org_inn', '7707083893');
    await s.shot('switch');
    await page.click('[data-testid=employer-settings] button[type=submit]');
    // The switch grants the employer role and the page enters it.
    await page.locator('#tab-employees').waitFor();
    await page.locator('[data-testid=employees-empty]:visible').waitFor();
    await s.shot('employees-empty');
  });

  await withPage(browser, server, 'engineer-join', { viewport: DESKTOP }, async (s) => {
    const { page } = s;
    await logIn(page, engineer.email, 'engineer');
    await page.goto('/engineer-profile');
    await page.click('#tab-employer');
    await page.fill('#employer-query', 'Кадастр-Юг');
    await page.click('#employer-find');
    await page.click('[data-testid=choose-employer]');
    await expectMatch(page.locator('[data-testid=chosen-employer]'), /Кадастр-Юг/, 'the chosen employer');
    // The basis document is required.
    await page.click('[data-testid=join-form] button[type=submit]');
    await page.locator('[data-field-error=basis_name]:visible').waitFor();
    await page.fill('#basis_date', '2026-11-01');
    await page.fill('#basis_number', '17/2026');
    await page.fill('#basis_name', 'Трудовой договор');
    await page.setInputFiles('#basis-file', PDF);
    await page.locator('[data-testid=basis-file-list] li').waitFor();
    await s.shot('join-form');
    await page.click('[data-testid=join-form] button[type=submit]');
    await page.locator('[data-testid=employment-status][data-status=requested]').waitFor();
    await s.shot('requested');
  });
  const requested = await server.apiOk('GET', '/me/employment', undefined, { token: engineer.token });
  assert.equal(requested.body.current.status, 'requested');
  assert.ok(requested.body.current.basis_file_id, 'the basis document is attached');

  await withPage(browser, server, 'employer-approve', { viewport: DESKTOP }, async (s) => {
    const { page } = s;
    await logIn(page, employerEmail, 'employer');
    await page.goto('/employees');
    const row = (status) => page.locator(`[data-testid=employee][data-engineer-id="${engineer.id}"][data-status=${status}]`);
    await row('requested').waitFor();
    await s.shot('request');
    await row('requested').locator('[data-testid=approve-employee]').click();
    await row('active').waitFor();
    await expectMatch(row('active').locator('[data-testid=employee-status]'), /подтверждён/, 'the approved status');
    await s.shot('approved');

    // Adding him again directly is refused, and the reason is shown.
    await page.fill('#add-engineer-key', engineer.email);
    await page.click('[data-testid=add-engineer] button[type=submit]');
    await expectMatch(page.locator('[data-testid=add-error] [role=alert]'), /уже состоит у работодателя/, 'the refusal');


    // The employer's requisites, which its engineers' contracts use.
    await page.click('#tab-requisites');
    const bik = '044525225';
    await page.fill('#req-recipient', 'ООО «Кадастр-Юг»');
    await page.fill('#req-inn', '7707083893');
    await page.fill('#req-kpp', '773601001');
    await page.fill('#req-bank_name', 'ПАО Сбербанк');
    await page.fill('#req-bik', bik);
    await page.fill('#req-account', accountFor(bik, '40702810000000000003'));
    await page.fill('#req-correspondent_account', '30101810400000000225');
    await page.click('[data-testid=requisites-form] button[type=submit]');
    await page.locator('[data-testid=requisites-saved]:visible').waitFor();
    await s.shot('requisites');
  });

  // The employee sees the confirmed status and the employer's requisites, read-only.
  await withPage(browser, server, 'engineer-employed', { viewport: DESKTOP }, async (s) => {
    const { page } = s;
    await logIn(page, engineer.email, 'engineer');
    await page.goto('/engineer-profile');
    await page.click('#tab-employer');
    await expectMatch(page.locator('[data-testid=employment-status][data-status=active]'), /подтверждён/, 'the confirmed employer');
    await s.shot('employer');
    await page.click('#tab-requisites');
    await expectMatch(page.locator('[data-testid=requisites-inherited]'), /ООО «Кадастр-Юг»/, 'the employer\'s requisites');
    assert.equal(await page.locator('[data-testid=requisites-form]').isVisible(), false);
    await s.shot('requisites-inherited');
  });

  await withPage(browser, server, 'employer-suspend', { viewport: DESKTOP }, async (s) => {
    const { page } = s;
    await logIn(page, employerEmail, 'employer');
    await page.goto('/employees');
    const row = (status) => page.locator(`[data-testid=employee][data-engineer-id="${engineer.id}"][data-status=${status}]`);
    await row('active').locator('[data-testid=suspend-employee]').click();
    await row('suspended').waitFor();
    await s.shot('suspended');
  });
  const suspended = await server.apiOk('GET', '/me/employment', undefined, { token: engineer.token });
  assert.equal(suspended.body.current.status, 'suspended');
});

test('a customer finds engineers in the public search and offers an order: a refusal, then a success', async () => {
  const { server, browser } = env;
  const customerEmail = uniqueEmail('searcher');
  await server.registerConfirmed(customerEmail, PASSWORD, 'Петрова Анна Сергеевна');
  const busy = await server.engineer(uniqueEmail('busy'), { fullName: 'Занятов Пётр Ильич', acceptOffers: false });
  const keen = await server.engineer(uniqueEmail('keen'), { fullName: 'Быстров Илья Андреевич', regions: ['50', '77'] });
  const { access_token: token } = await server.login(customerEmail, PASSWORD);
  const created = await server.apiOk('POST', '/orders', {
    title: 'Уточнение границ участка',
    work_types: [WORK],
    region_code: '50',
    address: 'Московская обл., г. Раменское, ул. Серова',
    deadline_days: 30,
  }, { token }, 201);
  const orderId = created.body.id;
  await server.apiOk('POST', `/orders/${orderId}/publish`, {}, { token });

  await withPage(browser, server, 'customer-search', { viewport: DESKTOP }, async (s) => {
    const { page } = s;
    await logIn(page, customerEmail, 'customer');
    await page.click('nav.sections a[href="/engineers"]');
    await expectPath(page, '/engineers');
    await page.locator('#eng-region option[value="50"]').waitFor({ state: 'attached' });
    await page.selectOption('#eng-region', '50');
    await page.selectOption('#eng-work', WORK);
    await page.click('#eng-apply');
    const card = (who) => page.locator(`[data-testid=engineer-card][data-engineer-id="${who.id}"]`);
    await card(busy).waitFor();
    await card(keen).waitFor();
    await expectMatch(card(keen).locator('[data-field=work_types]'), /20\s000\s₽/, 'the price on the card');
    await s.shot('found');

    // "Only those accepting offers" leaves the busy engineer out.
    await page.check('#eng-accepts', { force: true });
    await page.click('#eng-apply');
    await page.waitForURL(/accepts_offers=true/);
    await card(keen).waitFor();
    await card(busy).waitFor({ state: 'detached' });
    await page.uncheck('#eng-accepts', { force: true });
    await page.click('#eng-apply');
    await card(busy).waitFor();

    await card(busy).locator('[data-testid=engineer-link]').click();
    await expectPath(page, `/engineers/${busy.id}`);
    await page.locator('[data-testid=engineer-name]').waitFor();
    await page.locator(`#offer-order option[value="${orderId}"]`).waitFor({ state: 'attached' });
    await page.fill('#offer-message', 'Возьмётесь?');
    await page.click('[data-testid=offer-submit]');
    await expectMatch(page.locator('[data-testid=offer-error]'), /не принимает предложения/, 'the refusal');
    await s.shot('refused');

    await page.goto(`/engineers/${keen.id}`);
    await page.locator(`#offer-order option[value="${orderId}"]`).waitFor({ state: 'attached' });
    await page.click('[data-testid=offer-submit]');
    await page.locator('[data-testid=offer-sent]').waitFor();
    await s.shot('offered');
  });
  const offers = await server.apiOk('GET', `/orders/${orderId}/offers`, undefined, { token });
  assert.deepEqual(offers.body.items.map((o) => o.engineer_id), [keen.id]);
});

test('a moderator imports the SRO registry and blocks an engineer', async () => {
  const { server, browser } = env;
  const moderatorEmail = uniqueEmail('moderator');
  await server.staff(moderatorEmail, PASSWORD, 'moderator');
  const target = await server.engineer(uniqueEmail('violator'), { fullName: 'Нарушителев Сергей Павлович' });
  await server.apiOk('GET', `/engineers/${target.id}`);
  const customerEmail = uniqueEmail('spammer');
  await server.registerConfirmed(customerEmail, PASSWORD, 'Спамов Игорь Олегович');
  const { access_token: token } = await server.login(customerEmail, PASSWORD);
  const created = await server.apiOk('POST', '/orders', {
    title: 'Подозрительный заказ', work_types: [WORK], region_code: '50', address: 'г. Жуковский, ул. Чкалова', deadline_days: 10,
  }, { token }, 201);
  await server.apiOk('POST', `/orders/${created.body.id}/publish`, {}, { token });

  await withPage(browser, server, 'moderator', { viewport: DESKTOP }, async (s) => {
    const { page } = s;
    await logIn(page, moderatorEmail, 'moderator');
    await page.click('nav.sections a[href="/moderation"]');
    await expectPath(page, '/moderation');
    const csv = `snils,full_name,sro_name,status\n${randomSnils()},Новиков Андрей Петрович,Ассоциация «Кадастровые инженеры»,active\n`;
    await page.setInputFiles('#sro-file', { name: 'registry.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.click('[data-testid=sro-file-form] button[type=submit]');
    await expectMatch(page.locator('[data-testid=sro-report] [data-field=entries] dd'), /^1$/, 'the report');
    await expectMatch(page.locator('[data-testid=sro-report] [data-field=written] dd'), /^1$/, 'one written');
    await s.shot('sro-imported');

    // The user list: found by name in any case, blocked with a reason that
    // the list then shows with the moderator, unblocked again.
    await page.fill('#users-q', 'спамов');
    await page.click('[data-testid=users-search] button[type=submit]');
    const row = page.locator(`[data-testid=user][data-email="${customerEmail}"]`);
    // The page first lists everybody; the search's answer replaces it.
    await eventually(async () => (await page.locator('[data-testid=user]').count()) === 1, 'only the one found');
    await row.waitFor();
    await row.locator('[data-testid=block-account]').click();
    await expectMatch(page.locator('[data-testid=block-who]'), new RegExp(customerEmail), 'who is blocked');
    await page.fill('#block-reason', 'Спам в заказах');
    await page.click('[data-testid=confirm-block]');
    await expectMatch(row.locator('[data-testid=block-info]'), /Спам в заказах/, 'the reason shown');
    await expectMatch(row.locator('[data-testid=block-info]'), new RegExp(moderatorEmail), 'who blocked');
    await s.shot('user-blocked');
    const blocked = await server.api('POST', '/auth/login', { email: customerEmail, password: PASSWORD });
    assert.equal(blocked.body.code, 'account_blocked');
    await row.locator('[data-testid=unblock-account]').click();
    await row.locator('[data-testid=block-account]').waitFor();
    assert.equal(await row.locator('[data-testid=block-info]').count(), 0, 'the block is gone');

    await page.goto(`/engineers/${target.id}`);
    await page.locator('[data-testid=engineer-name]').waitFor();
    await page.click('[data-testid=block-user]');
    await expectMatch(page.locator('[data-testid=moderation-result]'), /заблокирован/, 'the block confirmed');
    await s.shot('blocked');

    // A moderator sees an order's customer and can block him from the card.
    await page.goto(`/orders/${created.body.id}`);
    const customer = page.locator('[data-testid=moderate-customer]');
    await customer.locator('[data-testid=block-user]').click();
    await expectMatch(customer.locator('[data-testid=moderation-result]'), /заблокирован/, 'the customer blocked');
    await s.shot('order-customer-blocked');
  });
  const spammer = await server.api('POST', '/auth/login', { email: customerEmail, password: PASSWORD });
  assert.equal(spammer.body.code, 'account_blocked');
  const gone = await server.api('GET', `/engineers/${target.id}`);
  assert.equal(gone.status, 404, 'a blocked engineer is not listed');
  const login = await server.api('POST', '/auth/login', { email: target.email, password: PASSWORD });
  assert.equal(login.status, 403);
  assert.equal(login.body.code, 'account_blocked');
});
