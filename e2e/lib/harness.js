// One server and one browser per test file, started side by side before the
// tests and ended after them, also when only one of them came up.

import { before, after } from 'node:test';
import { startServer } from './server.js';
import { launchBrowser } from './browser.js';

/**
 * Registers the `before`/`after` hooks of a test file; the returned object
 * holds `server` and `browser` once `before` has run. A browser that cannot
 * start fails every test of the file (never a skip).
 */
export function useServerAndBrowser(serverOptions = {}) {
  const env = { server: null, browser: null };
  before(async () => {
    const [server, browser] = await Promise.allSettled([startServer(serverOptions), launchBrowser()]);
    if (server.status === 'fulfilled') env.server = server.value;
    if (browser.status === 'fulfilled') env.browser = browser.value;
    const failure = [browser, server].find((r) => r.status === 'rejected');
    if (failure) throw failure.reason;
  });
  after(async () => {
    await env.browser?.close().catch(() => {});
    await env.server?.stop();
  });
  return env;
}
