/**
 * `npm run screenshot`: writes docs/screenshot.png, the integrator demo at
 * 1440×1000 in a lively state (a code selected with its evidence marked, one
 * accepted). Starts and always stops its own Vite dev server.
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from './find-chromium.ts';
import { startDevServer, type DevServer } from '../test/e2e/dev-server.ts';

const OUT = fileURLToPath(new URL('../docs/screenshot.png', import.meta.url));
/** A fixed mock user, so the shot never depends on anyone else's mock state. */
const USER = 'screenshot-clinician';

async function main(): Promise<void> {
  let server: DevServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await startDevServer();
    browser = await chromium.launch({ executablePath: await findChromium(), args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1, reducedMotion: 'reduce' });
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}?as=${USER}`);
    const cards = page.locator('#codes-main heidi-code-card');
    await cards.first().waitFor();

    // Accept the first code: focus moves on to the next one to review, the progress bar moves, and every card
    // shows its quote with no click (in this column the note / transcript view is a closed drawer below the list).
    await cards.nth(0).locator('button[aria-label^="Accept "]').click();
    await cards.nth(0).locator('.badge.ACCEPTED').waitFor();
    await page.locator('#event-log li[data-event="heidi-code-review"]').first().waitFor();
    // Let the log's highlight and any layout settle; park the mouse away from hover states.
    await page.mouse.move(0, 999);
    await page.waitForTimeout(300);

    await mkdir(new URL('../docs/', import.meta.url), { recursive: true });
    await page.screenshot({ path: OUT });
    console.log(`wrote ${OUT}`);
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
