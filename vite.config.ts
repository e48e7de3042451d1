import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { createDevBackend } from './demo/server/dev-backend.ts';
import { manglePrivateMembers } from './scripts/vite/mangle-private-members.ts';
import { litTrustedTypes } from './scripts/vite/lit-trusted-types.ts';
import { minifyLitTemplates } from './scripts/vite/minify-lit-templates.ts';

/** Mounts the mock Heidi API and the EHR token route on the dev and preview servers. */
function devBackend(): Plugin {
  return {
    name: 'heidi-dev-backend',
    configureServer(server) {
      server.middlewares.use(createDevBackend().connect);
    },
    configurePreviewServer(server) {
      server.middlewares.use(createDevBackend().connect);
    },
  };
}

/**
 * `HEIDI_DEMO_BUNDLE=1 npm start` (or `npm run e2e`): the dev server hands out the built
 * dist/heidi-clinical-codes.js wherever src/index.ts is imported, so the demo page and the e2e walk
 * run the production bundle (mangled names, minified templates) instead of the sources.
 */
function serveBuiltBundle(): Plugin {
  const entry = fileURLToPath(new URL('./src/index.ts', import.meta.url));
  const bundle = fileURLToPath(new URL('./dist/heidi-clinical-codes.js', import.meta.url));
  return {
    name: 'heidi-serve-built-bundle',
    apply: 'serve',
    enforce: 'pre',
    async resolveId(source, importer) {
      const resolved = await this.resolve(source, importer, { skipSelf: true });
      return resolved?.id === entry ? bundle : null;
    },
  };
}

export default defineConfig(({ command }) => ({
  plugins:
    command === 'serve'
      ? [devBackend(), ...(process.env.HEIDI_DEMO_BUNDLE === '1' ? [serveBuiltBundle()] : [])]
      : [minifyLitTemplates(), manglePrivateMembers(), litTrustedTypes()],
  server: { port: 5173, strictPort: false },
  // `npm run build`: this writes the self-contained element bundle (lit, ky and zod inlined, no
  // external imports) after clearing dist/; tsc then adds dist/types and dist/proxy, and
  // `cem analyze` custom-elements.json (see package.json "build").
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    lib: {
      entry: 'src/index.ts',
      formats: ['es'],
      fileName: () => 'heidi-clinical-codes.js',
    },
    rolldownOptions: {
      output: { minify: true, comments: false },
    },
  },
}));
