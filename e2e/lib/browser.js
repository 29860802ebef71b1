// Debian's Chromium driven by playwright-core (no downloaded browsers), one
// browser per test file and a fresh context (cookies, storage) per test, with
// full-page screenshots in e2e/artifacts/<test>-<step>.png and small waiting
// helpers (playwright-core has no `expect`).

import { chromium } from 'playwright-core';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PASSWORD } from './server.js';
import { AxeFindings } from './axe.js';

export const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ARTIFACTS = process.env.E2E_ARTIFACTS ?? path.join(E2E_DIR, 'artifacts');
export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

/** Headless Debian Chromium for a machine without outside network: without the background-networking flags it floods a closed network (e2e/README.md). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 800 };

/** How long one wait (a selector, a text, a URL) may take. */
export const TIMEOUT_MS = 10_000;

/**
 * Launches Chromium. Throws (the test fails) when it cannot start: a missing
 * browser is an error, never a skip.
 */
export async function launchBrowser() {
  try {
    // Playwright gives the browser its own temporary profile (--user-data-dir)
    // and removes it when the browser closes.
    return await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 30_000,
    });
  } catch (err) {
    throw new Error(`Chromium (${CHROMIUM}) did not start: ${err.message}`);
  }
}

/**
 * A fresh context and page for one test. `name` prefixes the screenshots;
 * `baseURL` (default the server's) is where relative addresses go.
 * Records page errors, Rust panics and failed requests; `assertHealthy()`
 * fails the test on a page error or panic.
 */
export async function openPage(browser, server, name, { viewport = DESKTOP, locale = 'ru-RU', baseURL = server.url } = {}) {
  const context = await browser.newContext({
    baseURL,
    viewport,
    locale,
    deviceScaleFactor: 1,
    serviceWorkers: 'block',
  });
  context.setDefaultTimeout(TIMEOUT_MS);
  context.setDefaultNavigationTimeout(20_000);
  const page = await context.newPage();
  const session = new PageSession({ context, page, name });
  page.on('console', (msg) => session.console.push(`[${msg.type()}] ${msg.text()}`));
  page.on('pageerror', (err) => session.errors.push(`pageerror: ${err.message}`));
  page.on('requestfailed', (req) => {
    session.console.push(`[requestfailed] ${req.method()} ${req.url()} ${req.failure()?.errorText ?? ''}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) session.console.push(`[http ${res.status()}] ${res.request().method()} ${res.url()}`);
  });
  return session;
}

export class PageSession {
  constructor({ context, page, name }) {
    this.context = context;
    this.page = page;
    this.name = name;
    this.console = [];
    this.errors = [];
    this.step = 0;
    this.axe = new AxeFindings();
  }

  /**
   * A full-page screenshot: artifacts/<test>-<NN>-<step>.png, after the
   * accessibility check of the page as it is (lib/axe.js).
   */
  async shot(step) {
    this.step += 1;
    const name = `${String(this.step).padStart(2, '0')}-${step}`;
    await this.axe.check(this.page, name);
    await mkdir(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, `${this.name}-${name}.png`);
    await this.page.screenshot({ path: file, fullPage: true });
    return file;
  }

  /** Page errors and Rust panics seen so far (console errors such as 401s are expected). */
  problems() {
    const panics = this.console.filter((line) => /panicked at|RuntimeError|unreachable executed/i.test(line));
    return [...this.errors, ...panics];
  }

  /** Fails on page errors, Rust panics and serious or critical axe violations. */
  assertHealthy() {
    const problems = this.problems();
    if (problems.length) {
      throw new Error(`the page reported errors:\n${problems.join('\n')}`);
    }
    const axe = this.axe.problems();
    if (axe.length) {
      throw new Error(`serious or critical accessibility violations (axe-core):\n${axe.join('\n')}`);
    }
  }

  /** The console artifact: page errors, console lines, then the axe notes. */
  consoleText() {
    return `${[...this.errors, ...this.console, ...this.axe.notes].join('\n')}\n`;
  }

  /** On failure: a screenshot, the page's HTML and its console, beside the other artifacts. */
  async saveFailure() {
    try {
      await mkdir(ARTIFACTS, { recursive: true });
      await this.page.screenshot({ path: path.join(ARTIFACTS, `${this.name}-FAILED.png`), fullPage: true });
      await writeFile(path.join(ARTIFACTS, `${this.name}-FAILED.html`), await this.page.content());
    } catch { /* the page may be gone */ }
    await writeFile(path.join(ARTIFACTS, `${this.name}-FAILED.console.txt`),
      `url: ${this.page.url()}\n${this.consoleText()}`).catch(() => {});
  }

  async close() {
    await this.context.close().catch(() => {});
  }
}

/**
 * Runs `fn(session)` in a fresh context; on failure saves the evidence and
 * prints the page console, then rethrows.
 */
export async function withPage(browser, server, name, options, fn) {
  const session = await openPage(browser, server, name, options);
  try {
    await fn(session);
    session.assertHealthy();
    await mkdir(ARTIFACTS, { recursive: true });
    await writeFile(path.join(ARTIFACTS, `${name}.console.txt`), session.consoleText());
  } catch (err) {
    await session.saveFailure();
    const tail = [...session.errors, ...session.console].slice(-40).join('\n');
    let extra = `\n--- page ${session.page.url()} console (last lines) ---\n${tail}`;
    const axe = session.axe.problems();
    if (axe.length && !err?.message?.includes('accessibility violations')) {
      extra += `\n--- serious or critical accessibility violations so far ---\n${axe.join('\n')}`;
    }
    if (server.log.trim()) extra += `\n--- server log (tail) ---\n${server.log.slice(-3000)}`;
    extra += `\n--- evidence: e2e/artifacts/${name}-FAILED.{png,html,console.txt} ---`;
    if (err instanceof Error) {
      err.message += extra;
      if (err.stack && !err.stack.includes(extra)) err.stack += extra; // node:test prints the stack
    }
    throw err;
  } finally {
    await session.close();
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe()` until it returns a truthy value; throws `describe()` on timeout. */
export async function eventually(probe, describe, timeoutMs = TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last) return last;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`${typeof describe === 'function' ? await describe(last) : describe} (waited ${timeoutMs} ms; last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    }
    await sleep(100);
  }
}

/** A 320 × 240 JPEG photo, drawn and encoded by the browser. */
export async function jpegPhoto(page) {
  const bytes = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 240;
    const g = canvas.getContext('2d');
    g.fillStyle = '#2a7a5a';
    g.fillRect(0, 0, 320, 240);
    g.fillStyle = '#c33';
    g.fillRect(110, 70, 100, 100);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.9));
    return Array.from(new Uint8Array(await blob.arrayBuffer()));
  });
  return Buffer.from(bytes);
}

/** Waits until the image `selector` has loaded a square picture; the size
 * the browser chose from its `srcset` (the `size=` of the address it loaded). */
export async function loadedSquare(page, selector) {
  await page.locator(selector).first().waitFor();
  return eventually(async () => {
    const [w, h, src] = await page.locator(selector).first()
      .evaluate((img) => [img.complete ? img.naturalWidth : 0, img.naturalHeight, img.currentSrc]);
    if (!(w > 0 && w === h)) throw new Error(`${selector}: ${w} × ${h}`);
    return Number(new URL(src).searchParams.get('size'));
  }, `${selector} shows the photo`);
}

/** Waits until the (first) element of `selector` is visible and its text contains / matches `expected`. */
export async function expectText(page, selector, expected, timeoutMs = TIMEOUT_MS) {
  const locator = page.locator(selector).first();
  await locator.waitFor({ state: 'visible', timeout: timeoutMs }).catch((err) => {
    throw new Error(`no visible ${selector} (expected it to show ${expected}): ${err.message.split('\n')[0]}`);
  });
  return eventually(async () => {
    const text = (await locator.innerText()).trim();
    const ok = expected instanceof RegExp ? expected.test(text) : text.includes(expected);
    return ok ? text : false;
  }, `text of ${selector} should ${expected instanceof RegExp ? 'match' : 'contain'} ${expected}`, timeoutMs)
    .catch(async (err) => {
      const text = await locator.innerText().catch(() => '<gone>');
      throw new Error(`${err.message}; it is ${JSON.stringify(text)}`);
    });
}

/** Waits until the path of the page (no query) is `pathname`. */
export async function expectPath(page, pathname, timeoutMs = TIMEOUT_MS) {
  await eventually(() => new URL(page.url()).pathname === pathname,
    () => `expected the page at ${pathname}, it is at ${page.url()}`, timeoutMs);
}

/** Waits until an input's value is `expected`. */
export async function expectValue(page, selector, expected, timeoutMs = TIMEOUT_MS) {
  const locator = page.locator(selector);
  await eventually(async () => (await locator.inputValue()) === expected,
    async () => `value of ${selector} should be ${JSON.stringify(expected)}, it is ${JSON.stringify(await locator.inputValue().catch(() => '<gone>'))}`,
    timeoutMs);
}

/** Whether the document scrolls sideways at the current viewport. */
export async function horizontalOverflow(page) {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    innerWidth: window.innerWidth,
    bodyScrollWidth: document.body.scrollWidth,
    // the elements sticking out on the right, for the report
    wide: [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().replace(/\s+/g, '.')}` : ''} right=${Math.round(el.getBoundingClientRect().right)}`),
  }));
}

/**
 * Logs in through the form with the e2e password; when the account has
 * several roles and the app asks, enters as `role`.
 */
export async function logIn(page, email, role) {
  await page.goto('/login');
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await page.click('form button[type=submit]:visible');
  await page.waitForURL((url) => url.pathname !== '/login', { timeout: 15_000 });
  if (role && new URL(page.url()).pathname === '/choose-role') {
    await page.click(`button[data-role=${role}]`);
    await page.waitForURL((url) => url.pathname !== '/choose-role', { timeout: 15_000 });
  }
}
