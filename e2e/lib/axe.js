// The accessibility check of every page state a test visits: axe-core (npm,
// pinned in package.json) runs in the page just before each screenshot
// (`PageSession.shot`). Serious and critical violations fail the test at its
// end (`PageSession.assertHealthy`), each listed once (by rule and element)
// with the step and address where it was first seen; minor and moderate ones
// are only noted in the console artifact (`<test>.console.txt`).

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_SOURCE_PATH = require.resolve('axe-core/axe.min.js');

/** Impacts that fail a test. */
export const FAILING_IMPACTS = new Set(['serious', 'critical']);

/**
 * Rules switched off, each with the reason it cannot apply to this app. Only
 * real false positives belong here, never a problem waiting for a fix.
 */
export const DISABLED_RULES = {};

let source;
async function axeSource() {
  source ??= await readFile(AXE_SOURCE_PATH, 'utf8');
  return source;
}

/**
 * Runs axe over the page's document and returns its violations, each with
 * its nodes' target selectors. The source is evaluated rather than added as a
 * <script>: the app's Content-Security-Policy forbids inline scripts, and a
 * DevTools evaluation is not subject to it.
 */
export async function runAxe(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(await axeSource());
  }
  return page.evaluate(async (disabled) => {
    const rules = Object.fromEntries(disabled.map((id) => [id, { enabled: false }]));
    const result = await window.axe.run(document, { resultTypes: ['violations'], rules });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        target: n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : String(t))).join(' '),
        impact: n.impact ?? v.impact,
        summary: n.failureSummary ?? '',
      })),
    }));
  }, Object.keys(DISABLED_RULES));
}

/** The axe findings of one page session (one test's browser context). */
export class AxeFindings {
  constructor() {
    /** `rule|target` → the first finding, for serious and critical ones. */
    this.failing = new Map();
    /** Lines for the console artifact. */
    this.notes = [];
  }

  /**
   * Runs axe at `step` (the screenshot's name). A page that navigates away
   * while axe runs is tried again; if it still cannot be checked, that is
   * noted (it is not an accessibility problem).
   */
  async check(page, step) {
    let violations;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await page.waitForLoadState('domcontentloaded');
        violations = await runAxe(page);
        break;
      } catch (err) {
        if (attempt >= 3) {
          this.notes.push(`[axe] ${step} ${page.url()}: not checked: ${err.message.split('\n')[0]}`);
          return;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    const url = page.url();
    const minor = [];
    for (const v of violations) {
      for (const node of v.nodes) {
        const impact = node.impact ?? v.impact;
        if (!FAILING_IMPACTS.has(impact)) continue;
        const key = `${v.id}|${node.target}`;
        if (!this.failing.has(key)) {
          this.failing.set(key, { id: v.id, impact, help: v.help, helpUrl: v.helpUrl, step, url, target: node.target, summary: node.summary });
        }
      }
      const others = v.nodes.filter((n) => !FAILING_IMPACTS.has(n.impact ?? v.impact));
      if (others.length) minor.push(`${v.id} (${v.impact}) ×${others.length}`);
    }
    if (minor.length) this.notes.push(`[axe] ${step} ${url}: ${minor.join(', ')}`);
  }

  /**
   * One line per rule and step where serious or critical violations were
   * first seen: rule, impact, address, step, up to 3 elements, the help text.
   */
  problems() {
    const groups = new Map();
    for (const f of this.failing.values()) {
      const key = `${f.id}|${f.step}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(f);
    }
    return [...groups.values()].map((fs) => {
      const [f] = fs;
      const targets = fs.slice(0, 3).map((x) => x.target).join(', ');
      const more = fs.length > 3 ? ` and ${fs.length - 3} more` : '';
      return `axe ${f.id} (${f.impact}) at ${f.url} [step ${f.step}]: ${targets}${more} — ${f.help} (${f.helpUrl})`
        + `\n    ${f.summary.split('\n').join('\n    ')}`;
    });
  }
}
