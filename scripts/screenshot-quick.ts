import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from './find-chromium.ts';
const browser = await chromium.launch({ executablePath: await findChromium(), args: CHROMIUM_ARGS });
const page = await browser.newPage({ viewport: { width: Number(process.argv[3] ?? 1200), height: 900 } });
page.on('console', (m) => console.log('console:', m.text()));
await page.goto(process.argv[2] ?? 'http://localhost:5173/');
await page.waitForTimeout(1500);
await page.screenshot({ path: '/tmp/shot.png', fullPage: true });
await browser.close();
