// The real Mezha server for a test: `target/debug/mezha serve` on a free
// loopback port, with a fresh data directory (SQLite + signing keys), the
// development outbox on and the built web app from frontend/dist. Stop it with
// `stop()`: the whole process group ends and the data directory is removed.

import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm, access, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BINARY = process.env.E2E_MEZHA_BINARY
  ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(ROOT, 'target'), 'debug', 'mezha');
export const REGISTRY_BINARY = path.join(path.dirname(BINARY), 'mezha-registry');
export const WEB_DIR = process.env.E2E_WEB_DIR ?? path.join(ROOT, 'frontend', 'dist');

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

// Every server still running, so that an aborted run leaves no process behind.
const running = new Set();
process.on('exit', () => {
  for (const child of running) {
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => process.exit(130));
}

/** A free TCP port on 127.0.0.1 (the OS picks it; we release it right away). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts a server. Options: `web` (default true) serves frontend/dist;
 * `registry` (default false) starts the registry stand-in
 * (docs/registry-gateway.md) beside it, deciding every step after 1 s, and
 * points the server's gateway at it (`server.registryUrl`, whose control API
 * a test may call). Resolves to a `Server` once `GET /readyz` answers 200.
 */
export async function startServer({ web = true, registry = false } = {}) {
  await access(BINARY).catch(() => {
    throw new Error(`server binary ${BINARY} is missing: run \`cargo build -p mezha-server --locked\` (e2e/run.sh does)`);
  });
  if (web) {
    await access(path.join(WEB_DIR, 'index.html')).catch(() => {
      throw new Error(`${WEB_DIR}/index.html is missing: run \`make frontend\` (e2e/run.sh does)`);
    });
  }
  let lastError;
  // The port is free when we ask, but another process may take it before the
  // server binds: try a few ports.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'mezha-e2e-'));
    const port = await freePort();
    const server = new Server({ port, dataDir, web });
    if (registry) await server.withRegistry(await freePort());
    try {
      await server.start();
      return server;
    } catch (err) {
      lastError = err;
      await server.stop();
    }
  }
  throw lastError;
}

export class Server {
  constructor({ port, dataDir, web }) {
    this.port = port;
    this.dataDir = dataDir;
    this.url = `http://127.0.0.1:${port}`;
    // Only the settings we choose: a developer's MEZHA_CONFIG, DATABASE_URL or
    // REDIS_URL must not point the test server at shared state (and the
    // server refuses MEZHA_* variables it does not know, such as ours).
    const inherited = Object.fromEntries(Object.entries(process.env)
      .filter(([key]) => !key.startsWith('MEZHA_') && key !== 'DATABASE_URL' && key !== 'REDIS_URL'));
    this.env = {
      ...inherited,
      MEZHA_ADDR: `127.0.0.1:${port}`,
      MEZHA_DATA_DIR: dataDir,
      MEZHA_DEV_OUTBOX: '1',
      MEZHA_WORKERS: '2',
      MEZHA_LOG_LEVEL: process.env.E2E_SERVER_LOG_LEVEL ?? 'warn',
    };
    if (web) this.env.MEZHA_WEB_DIR = WEB_DIR;
    else this.env.MEZHA_WEB_DIR = path.join(dataDir, 'no-web-app');
    this.log = '';
    this.child = null;
    this.exited = null;
  }

  /**
   * Starts the registry stand-in on `port` (its own process group, ended by
   * `stop()`) and sets the server's gateway settings to it.
   */
  async withRegistry(port) {
    await access(REGISTRY_BINARY).catch(() => {
      throw new Error(`${REGISTRY_BINARY} is missing: run \`cargo build -p mezha-registry --locked\` (e2e/run.sh does)`);
    });
    const secret = 'e2e-callback-secret';
    this.registryUrl = `http://127.0.0.1:${port}`;
    const child = spawn(REGISTRY_BINARY, [
      '--listen', `127.0.0.1:${port}`, '--callback-secret', secret,
      '--accept-after', '1s', '--register-after', '1s',
    ], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.registry = child;
    running.add(child);
    child.once('exit', () => running.delete(child));
    const append = (chunk) => { this.log += `[registry] ${chunk}`; };
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      try {
        await fetch(`${this.registryUrl}/control/stats`, { signal: AbortSignal.timeout(2_000) });
        break;
      } catch {
        if (Date.now() > deadline) throw new Error(`the registry stand-in did not start:\n${this.log}`);
        await sleep(100);
      }
    }
    Object.assign(this.env, {
      MEZHA_REGISTRY_GATEWAY_URL: this.registryUrl,
      MEZHA_REGISTRY_CALLBACK_SECRET: secret,
      MEZHA_REGISTRY_POLL: '2',
    });
  }

  /** A call to the stand-in's control API: `registryControl('PUT', '/control/plan/x', {...})`. */
  async registryControl(method, controlPath, body) {
    const res = await fetch(`${this.registryUrl}${controlPath}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${controlPath} answered ${res.status}: ${await res.text()}`);
    return res.json();
  }

  async start() {
    const child = spawn(BINARY, ['serve'], {
      cwd: this.dataDir,
      env: this.env,
      detached: true, // its own process group: stop() ends it and anything it starts
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    running.add(child);
    const append = (chunk) => {
      this.log += chunk.toString();
      if (this.log.length > 200_000) this.log = this.log.slice(-100_000);
    };
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        running.delete(child);
        resolve({ code, signal });
      });
      child.once('error', (err) => {
        running.delete(child);
        append(`spawn error: ${err.message}\n`);
        resolve({ code: -1, signal: null });
      });
    });
    let gone = null;
    this.exited.then((status) => { gone = status; });

    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (gone) {
        throw new Error(`mezha serve exited early (${JSON.stringify(gone)}):\n${this.log}`);
      }
      try {
        const res = await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(2_000) });
        if (res.status === 200) return;
      } catch { /* not listening yet */ }
      await sleep(100);
    }
    throw new Error(`mezha serve did not become ready within ${READY_TIMEOUT_MS} ms:\n${this.log}`);
  }

  /** Ends the process group (TERM, then KILL) and removes the data directory. */
  async stop() {
    const child = this.child;
    if (child && child.pid && running.has(child)) {
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
      let timer;
      const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS); });
      const outcome = await Promise.race([this.exited, timeout]);
      clearTimeout(timer); // a pending timer would hold the test process open
      if (outcome === 'timeout') {
        try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
        await this.exited;
      }
    }
    // Children of the group (none expected) get the same end.
    if (child?.pid) {
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* nothing left */ }
    }
    if (this.registry?.pid) {
      try { process.kill(-this.registry.pid, 'SIGKILL'); } catch { /* gone */ }
    }
    await rm(this.dataDir, { recursive: true, force: true });
  }

  /**
   * A direct API call: `api('POST', '/auth/login', {email, password}, {token})`.
   * `path` is relative to /api/v1 unless it starts with `/api/` or is a root
   * path such as `/readyz`. Resolves to `{status, headers, body}`; `body` is
   * parsed JSON when the answer is JSON, else text.
   */
  async api(method, apiPath, body, { token, headers = {} } = {}) {
    const url = apiPath.startsWith('/api/') || apiPath === '/readyz' || apiPath === '/healthz'
      ? `${this.url}${apiPath}`
      : `${this.url}/api/v1${apiPath}`;
    const h = { accept: 'application/json', ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    let payload;
    if (body !== undefined) {
      h['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await fetch(url, { method, headers: h, body: payload, signal: AbortSignal.timeout(15_000) });
    const text = await res.text();
    let parsed = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) {
      parsed = JSON.parse(text);
    }
    return { status: res.status, headers: res.headers, body: parsed };
  }

  /** Like `api`, but throws unless the status is `expected`. */
  async apiOk(method, apiPath, body, options = {}, expected = undefined) {
    const res = await this.api(method, apiPath, body, options);
    const ok = expected === undefined ? res.status >= 200 && res.status < 300 : res.status === expected;
    if (!ok) {
      throw new Error(`${method} ${apiPath} answered ${res.status}: ${JSON.stringify(res.body)}`);
    }
    return res;
  }

  /** Mails and SMS sent to `recipient`, newest first. */
  async outbox(recipient) {
    const q = new URLSearchParams({ recipient, limit: '100' });
    const res = await this.apiOk('GET', `/dev/outbox?${q}`);
    return res.body.items;
  }

  /** Waits until the outbox holds a message to `recipient` that `pick` accepts. */
  async waitForMessage(recipient, pick, what, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const item of await this.outbox(recipient)) {
        const found = pick(item);
        if (found) return found;
      }
      if (Date.now() > deadline) {
        throw new Error(`no ${what} for ${recipient} in the outbox after ${timeoutMs} ms:\n`
          + JSON.stringify(await this.outbox(recipient), null, 2));
      }
      await sleep(150);
    }
  }

  /** The token of the newest confirmation link mailed to `email`. */
  confirmationToken(email) {
    return this.waitForMessage(email, (m) => {
      if (m.channel !== 'email') return null;
      const match = /\/confirm-email\?token=([^\s&"'<>]+)/.exec(m.body);
      return match ? decodeURIComponent(match[1]) : null;
    }, 'confirmation link');
  }

  /** The confirmation link itself (absolute, as mailed). */
  confirmationLink(email) {
    return this.waitForMessage(email, (m) => {
      if (m.channel !== 'email') return null;
      const match = /(https?:\/\/\S+)?\/confirm-email\?token=[^\s"'<>]+/.exec(m.body);
      return match ? match[0] : null;
    }, 'confirmation link');
  }

  /**
   * Saves `phone` to the account of `token`, confirmed by the SMS code sent
   * to it (docs/accounts.md, "Phone and the second factor"). Returns the
   * profile.
   */
  async confirmPhone(token, phone) {
    const sent = await this.apiOk('POST', '/me/phone', { phone }, { token });
    const code = await this.smsCode(sent.body.phone);
    return this.apiOk('POST', '/me/phone/confirm', { phone, code }, { token });
  }

  /**
   * The newest 6-digit code sent by SMS to `phone` (E.164). With `after`
   * (a count of SMS seen before), waits for a new one.
   */
  async smsCode(phone, { after = 0 } = {}) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const sms = (await this.outbox(phone)).filter((m) => m.channel === 'sms');
      if (sms.length > after) {
        const match = /\b(\d{6})\b/.exec(sms[0].body);
        if (!match) throw new Error(`SMS to ${phone} has no 6-digit code: ${sms[0].body}`);
        return match[1];
      }
      if (Date.now() > deadline) throw new Error(`no SMS code for ${phone} in the outbox`);
      await sleep(150);
    }
  }

  /**
   * `mezha staff create`: grants `role` (moderator | ca_operator) to `email`,
   * creating the account if needed; resets its password and confirms its e-mail.
   */
  async staff(email, password, role = 'moderator') {
    try {
      const { stdout } = await execFileP(BINARY, ['staff', 'create', '--email', email, '--password', password, '--role', role], {
        cwd: this.dataDir,
        env: this.env,
        timeout: 30_000,
      });
      return stdout;
    } catch (err) {
      throw new Error(`mezha staff create failed: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`);
    }
  }

  /** Registers `email` through the API and confirms it with the mailed token. */
  async registerConfirmed(email, password, fullName) {
    const body = { email, password };
    if (fullName) body.full_name = fullName;
    await this.apiOk('POST', '/auth/register', body, {}, 201);
    const token = await this.confirmationToken(email);
    await this.apiOk('POST', '/auth/confirm-email', { token });
  }

  /** `mezha sro import <file>` with CSV `rows` (`snils,full_name,sro_name,status`). */
  async sroImport(rows) {
    const file = path.join(this.dataDir, `sro-${Date.now()}.csv`);
    const lines = ['snils,full_name,sro_name,status', ...rows.map((r) => [r.snils, r.fullName, r.sroName ?? 'Ассоциация «Кадастровые инженеры»', r.status ?? 'active'].join(','))];
    await writeFile(file, `${lines.join('\n')}\n`);
    try {
      const { stdout } = await execFileP(BINARY, ['sro', 'import', file], {
        cwd: this.dataDir,
        env: this.env,
        timeout: 30_000,
      });
      return stdout;
    } catch (err) {
      throw new Error(`mezha sro import failed: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`);
    }
  }

  /**
   * A cadastral engineer ready to take orders: registered and confirmed,
   * listed active in the SRO registry by his SNILS (so the next login makes
   * him an engineer), with a complete profile in `regions`. Returns his
   * e-mail, id and an access token acting as engineer.
   */
  async engineer(email, { fullName = 'Кадастров Пётр Сергеевич', regions = ['50'], acceptOffers = true } = {}) {
    const { token, snils } = await this.engineerAccount(email, { fullName });
    await this.apiOk('PUT', '/me/engineer-profile', {
      contacts: { phone: '+79123456780', email },
      regions,
      work_types: [{ work_type: 'land_plot_boundary_clarification', price: 20000 }],
      accept_offers: acceptOffers,
    }, { token });
    const bik = '044525225';
    await this.apiOk('PUT', '/me/requisites', {
      recipient: `ИП ${fullName}`,
      inn: '500100732259',
      bank_name: 'ПАО Сбербанк',
      bik,
      account: accountFor(bik, '40802810000000000001'),
      correspondent_account: '30101810400000000225',
    }, { token });
    const me = await this.apiOk('GET', '/me', undefined, { token });
    return { email, id: me.body.id, token, snils };
  }

  /**
   * A cadastral engineer with an empty engineer profile: registered and
   * confirmed, listed active in the SRO registry by his SNILS, logged in
   * once (so he holds the engineer role). Returns his e-mail, id, SNILS and
   * an access token acting as engineer.
   */
  async engineerAccount(email, { fullName = 'Кадастров Пётр Сергеевич' } = {}) {
    await this.registerConfirmed(email, PASSWORD, fullName);
    let tokens = await this.login(email, PASSWORD);
    const snils = randomSnils();
    await this.apiOk('PATCH', '/me', { snils }, { token: tokens.access_token });
    await this.confirmPhone(tokens.access_token, randomPhone());
    await this.sroImport([{ snils, fullName }]);
    tokens = await this.login(email, PASSWORD);
    if (!tokens.roles.includes('engineer')) throw new Error(`${email} did not become an engineer: ${JSON.stringify(tokens.roles)}`);
    const switched = await this.apiOk('POST', '/me/acting-role', { role: 'engineer' }, { token: tokens.access_token });
    const token = switched.body.access_token;
    const me = await this.apiOk('GET', '/me', undefined, { token });
    return { email, id: me.body.id, token, snils };
  }

  /** Password login through the API (JSON transport); the token response. */
  async login(email, password) {
    const res = await this.apiOk('POST', '/auth/login', { email, password });
    return res.body;
  }
}

/** A random SNILS with valid check digits. */
export function randomSnils() {
  for (;;) {
    const digits = Array.from({ length: 9 }, () => Math.floor(Math.random() * 10));
    if (Number(digits.join('')) <= 1001998) continue;
    let sum = digits.reduce((acc, d, i) => acc + d * (9 - i), 0);
    if (sum > 101) sum %= 101;
    const check = sum === 100 || sum === 101 ? 0 : sum;
    return digits.join('') + String(check).padStart(2, '0');
  }
}

/** A random Russian mobile number in E.164. */
export function randomPhone() {
  return `+79${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
}

/** `account` with its key digit set for `bik` (Bank of Russia rule). */
export function accountFor(bik, account) {
  const weights = [7, 1, 3];
  const digits = [...bik.slice(6), ...account].map(Number);
  digits[11] = 0;
  const sum = digits.reduce((acc, d, i) => acc + ((d * weights[i % 3]) % 10), 0);
  const key = ((((10 - (sum % 10)) % 10) * 7) % 10);
  return account.slice(0, 8) + key + account.slice(9);
}

/** A unique address for this run, e.g. `sms-1a2b3c@e2e.mezha.test`. */
export function uniqueEmail(prefix) {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@e2e.mezha.test`;
}

/** A password that passes the length and common-password checks. */
export const PASSWORD = 'Kadastr-Boundary-2024!';
