import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import type { TestRunnerConfig } from '@web/test-runner';
import { CHROMIUM_ARGS, findChromium } from './scripts/find-chromium.ts';
import { createDevBackend } from './demo/server/dev-backend.ts';

const backend = createDevBackend();

/**
 * The strict policies test/browser/csp.test.ts holds the built element to: Lit's own Trusted Types policy only,
 * or (`?csp=shared`, a host page with Lit of its own) that and the element's.
 */
const STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; require-trusted-types-for 'script'; trusted-types lit-html";
const SHARED_CSP = `${STRICT_CSP} heidi-clinical-codes`;
/** `?csp=none`: Trusted Types required, and no policy name allowed (a misconfigured page). */
const NO_POLICY_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; require-trusted-types-for 'script'; trusted-types 'none'";

const config: TestRunnerConfig = {
  files: ['test/browser/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 2,
  testFramework: { config: { timeout: 10000 } },
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: await findChromium(), args: CHROMIUM_ARGS },
      // New headless Chromium throttles timers in background tabs; one window per test file keeps each visible.
      createPage: ({ context }) => context.newPage({ type: 'window' }),
    }),
  ],
  plugins: [esbuildPlugin({ ts: true, tsconfig: './tsconfig.json', target: 'es2022' })],
  middleware: [
    (ctx, next) => backend.koa(ctx, next),
    // test/csp/ pages are served with the strict CSP (see test/browser/csp.test.ts).
    async (ctx, next) => {
      await next();
      if (ctx.path.startsWith('/test/csp/'))
        ctx.set('Content-Security-Policy', { shared: SHARED_CSP, none: NO_POLICY_CSP }[String(ctx.query.csp)] ?? STRICT_CSP);
    },
  ],
  filterBrowserLogs: ({ args }) => !String(args[0] ?? '').includes('Lit is in dev mode'),
};

export default config;
