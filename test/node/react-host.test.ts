/**
 * The React host pattern (examples/react) in a real React 19 render, in headless
 * Chromium against the mock: properties set in layout effects reach the first load
 * (no "missing token source" flash), events reach React, StrictMode's effect
 * double-run leaves exactly one listener set, and unmounting removes the element.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/find-chromium.ts';
import { createDevBackend } from '../../demo/server/dev-backend.ts';
import { toFetchRequest, sendFetchResponse } from '../../src/proxy/node.ts';

const root = new URL('../../', import.meta.url).pathname;

async function bundleHostApp(): Promise<string> {
  const result = await build({
    entryPoints: [`${root}examples/react/host-app.tsx`],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    jsx: 'automatic',
    tsconfig: `${root}tsconfig.json`,
    alias: { 'heidi-clinical-codes': `${root}src/index.ts` },
    // React's development build: StrictMode then runs every effect twice, which tests the cleanups.
    define: { 'process.env.NODE_ENV': '"development"' },
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

describe('React 19 host (examples/react)', () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  let base: string;
  const user = `react-${Date.now().toString(36)}`;
  const pageErrors: string[] = [];

  before(async () => {
    const app = await bundleHostApp();
    const backend = createDevBackend({ heidiApiKey: '' });
    server = createServer(async (req, res) => {
      if (req.url === '/app.js') {
        res.setHeader('content-type', 'text/javascript');
        res.end(app);
        return;
      }
      if (req.url?.startsWith('/?') || req.url === '/') {
        res.setHeader('content-type', 'text/html');
        res.end('<!doctype html><html lang="en"><body><div id="root"></div><script type="module" src="/app.js"></script></body></html>');
        return;
      }
      const response = await backend.handle(toFetchRequest(req));
      if (response) await sendFetchResponse(res, response);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: await findChromium(), args: CHROMIUM_ARGS });
    page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${base}/?session=fx-knee-oa&as=${user}`);
    await page.locator('heidi-clinical-codes heidi-code-card').first().waitFor({ timeout: 15_000 });
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('properties set in layout effects reach the first load: the patient and notes are PATCHed, no config error', async () => {
    const log = (await (await fetch(`${base}/mock-heidi/__log?user=${user}`)).json()) as { route: string }[];
    assert.equal(log.filter((e) => e.route === 'patch-session').length, 1);
    assert.equal(log.filter((e) => e.route === 'clinical-codes').length, 1, 'one load, not a failed one and a reload');
    const token = ((await (await fetch(`${base}/ehr/heidi-token?as=${user}`)).json()) as { token: string }).token;
    const session = (await (
      await fetch(`${base}/mock-heidi/sessions/fx-knee-oa`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as {
      session: { patient: { name: string }; clinician_notes: string[] };
    };
    assert.equal(session.session.patient.name, 'React Host Patient');
    assert.deepEqual(session.session.clinician_notes, ['Set from React']);
    assert.deepEqual(await page.evaluate('window.hostLog.errors'), []);
  });

  it('a decision reaches React once (StrictMode re-subscribed without doubling listeners)', async () => {
    await page.locator('heidi-clinical-codes heidi-code-card').first().locator('button.accept').click();
    await page.waitForFunction('window.hostLog.reviews.length > 0');
    assert.deepEqual(await page.evaluate('window.hostLog.reviews'), ['ACCEPTED M17.11']);
  });

  it('the host button sends through commit() and waitUntil(saveCodes)', async () => {
    await page.getByRole('button', { name: 'Sign encounter' }).click();
    await page.waitForFunction('window.hostLog.saved.length > 0');
    assert.deepEqual(await page.evaluate('window.hostLog.saved'), [{ sessionId: 'fx-knee-oa', codes: ['M17.11'] }]);
    await page.locator('heidi-clinical-codes').getByText('Sent 1 code to the EHR.').first().waitFor();
  });

  it('unmounting removes the element; no page errors', async () => {
    await page.locator('#unmount').click();
    await page.waitForFunction("!document.querySelector('heidi-clinical-codes')");
    assert.deepEqual(pageErrors, []);
  });
});
