/**
 * End-to-end walk of the integrator demo (`npm run e2e`): Vite dev server on a
 * free port + headless Chromium (playwright-core), a fresh mock user per run
 * (`?as=`), one named check per step. Exits non-zero on any failure; Vite is
 * always stopped.
 *
 * Load → codes shown → select a code (log: heidi-code-select) → accept two →
 * swap a third → Send to EHR (three rows in "Received by the EHR", "Sent" in
 * the element) → a 500 on clinical-codes + Refresh (error + Retry, log:
 * heidi-error `server`) → clear the scenario + Retry → codes again, decisions kept.
 */
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/find-chromium.ts';
import { startDevServer, type DevServer } from './dev-server.ts';

const STEP_TIMEOUT_MS = 8_000;

interface Result {
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  ms: number;
  error?: string;
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

async function main(): Promise<number> {
  const started = performance.now();
  const user = `e2e-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const results: Result[] = [];
  const pageErrors: string[] = [];
  let server: DevServer | undefined;
  let browser: Browser | undefined;

  // Shared across steps.
  let page!: Page;
  const chosen: string[] = [];

  const codes = () => page.locator('#codes-main heidi-code-card');
  const card = (index: number) => codes().nth(index);
  const codeOf = async (target: Locator) => (await target.locator('button.pick .code').textContent())?.trim() ?? '';
  const logEntries = (event: string) => page.locator(`#event-log li[data-event="${event}"]`);

  const steps: [string, () => Promise<void>][] = [
    [
      'start the dev server and the browser',
      async () => {
        const [devServer, executablePath] = await Promise.all([startDevServer(), findChromium()]);
        server = devServer;
        browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
        page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
        page.setDefaultTimeout(STEP_TIMEOUT_MS);
        page.on('pageerror', (error) => pageErrors.push(error.message));
      },
    ],
    [
      'load the demo page: codes appear in the element',
      async () => {
        await page.goto(`${server!.url}?as=${encodeURIComponent(user)}`);
        await card(0).waitFor();
        assert((await codes().count()) >= 3, `expected at least 3 code cards, got ${await codes().count()}`);
        await logEntries('heidi-codes-load').first().waitFor();
        await page.locator('#patient-mrn', { hasText: 'EHR-PT-1001' }).waitFor();
      },
    ],
    [
      'click a code: the log shows heidi-code-select',
      async () => {
        const code = await codeOf(card(0));
        await card(0).locator('button.pick').click();
        const entry = logEntries('heidi-code-select').first();
        await entry.waitFor();
        const text = (await entry.textContent()) ?? '';
        assert(text.includes(code), `heidi-code-select entry should name ${code}: ${text}`);
      },
    ],
    [
      'accept two codes',
      async () => {
        for (const index of [0, 1]) {
          const target = card(index);
          chosen.push(await codeOf(target));
          await target.locator('button[aria-label^="Accept "]').click();
          await target.locator('button[aria-label^="Accept "][aria-pressed="true"]').waitFor();
        }
        await page.waitForFunction(() => document.querySelectorAll('#event-log li[data-event="heidi-code-review"]').length >= 2);
      },
    ],
    [
      'swap a third code for a similar one',
      async () => {
        const count = await codes().count();
        let swapped = false;
        for (let index = 2; index < count && !swapped; index++) {
          const target = card(index);
          const similar = target.locator('summary', { hasText: /^Similar codes/ });
          if ((await similar.count()) === 0) continue;
          const before = await codeOf(target);
          await similar.click();
          const use = target.locator('button[aria-label^="Use "]').first();
          await use.click();
          await target.locator('.badge.ACCEPTED').waitFor();
          const after = await codeOf(target);
          assert(after && after !== before, `the card should show the similar code instead of ${before}`);
          chosen.push(after);
          swapped = true;
        }
        assert(swapped, 'no card with similar codes after the first two');
        const review = logEntries('heidi-code-review').first();
        assert(((await review.textContent()) ?? '').includes('previousCode'), 'the swap review event should carry previousCode');
      },
    ],
    [
      'Send to EHR: the three codes land in "Received by the EHR" and the element says Sent',
      async () => {
        await page.locator('#codes-main button.send').click();
        await logEntries('heidi-codes-commit').first().waitFor();
        await page.locator('#received-status[data-state="ok"]').waitFor();
        const rows = page.locator('#ehr-received tr[data-code]');
        const received = (await rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.code ?? ''))).sort();
        assert(
          JSON.stringify(received) === JSON.stringify([...chosen].sort()),
          `received ${received.join(', ')}; expected ${[...chosen].sort().join(', ')}`,
        );
        const message = page.locator('#codes-main .commit-msg.sent');
        await message.waitFor();
        assert(/Sent 3 codes/.test((await message.textContent()) ?? ''), `unexpected commit message: ${await message.textContent()}`);
      },
    ],
    [
      'a 500 on clinical-codes + Refresh: error with Retry, log shows heidi-error "server"',
      async () => {
        await page.selectOption('#failure-kind', '500');
        await page.selectOption('#failure-route', 'clinical-codes');
        await page.click('#arm-failure');
        await page.locator('#scenario-status[data-pending="1"]').waitFor();
        await page.click('#refresh');
        const alert = page.locator('#codes-main [role="alert"]');
        await alert.waitFor();
        await alert.getByRole('button', { name: 'Retry' }).waitFor();
        const error = logEntries('heidi-error').first();
        await error.waitFor();
        const text = (await error.textContent()) ?? '';
        assert(text.includes('"code":"server"'), `heidi-error detail should have code "server": ${text}`);
      },
    ],
    [
      'clear the scenario + Retry: codes shown again, decisions kept',
      async () => {
        await page.click('#clear-scenario');
        await page.locator('#scenario-status[data-pending="0"]').waitFor();
        await page.locator('#codes-main [role="alert"]').getByRole('button', { name: 'Retry' }).click();
        await card(0).waitFor();
        await page.locator('#codes-main [role="alert"]').waitFor({ state: 'detached' });
        const accepted = page.locator('#codes-main heidi-code-card[status="ACCEPTED"]');
        assert((await accepted.count()) === 3, `expected the 3 accepted codes to be kept, got ${await accepted.count()}`);
      },
    ],
    [
      'no uncaught errors on the page',
      async () => {
        assert(pageErrors.length === 0, `page errors: ${pageErrors.join(' | ')}`);
      },
    ],
  ];

  try {
    let failed = false;
    for (const [name, run] of steps) {
      if (failed) {
        results.push({ name, status: 'skipped', ms: 0 });
        console.log(`- skip  ${name}`);
        continue;
      }
      const t0 = performance.now();
      try {
        await run();
        const ms = Math.round(performance.now() - t0);
        results.push({ name, status: 'passed', ms });
        console.log(`✓ pass  ${name} (${ms} ms)`);
      } catch (error) {
        const ms = Math.round(performance.now() - t0);
        const message = error instanceof Error ? error.message : String(error);
        results.push({ name, status: 'failed', ms, error: message });
        console.log(`✗ FAIL  ${name} (${ms} ms)\n        ${message.split('\n').join('\n        ')}`);
        failed = true;
        if (page) {
          const shot = `test-results/e2e-failure-${Date.now()}.png`;
          await page.screenshot({ path: shot, fullPage: true }).then(
            () => console.log(`        screenshot: ${shot}`),
            () => undefined,
          );
        }
      }
    }
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
  }

  const passed = results.filter((r) => r.status === 'passed').length;
  const failedCount = results.length - passed;
  console.log(`\nuser ${user} · ${Math.round(performance.now() - started)} ms in all`);
  console.log(`${passed} passed, ${failedCount} failed`);
  return failedCount === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
