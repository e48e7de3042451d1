import { defineConfig, type Plugin } from 'vite';
import { createDevBackend } from './demo/server/dev-backend.ts';
import { manglePrivateMembers } from './scripts/vite/mangle-private-members.ts';
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

export default defineConfig(({ command }) => ({
  plugins: command === 'serve' ? [devBackend()] : [minifyLitTemplates(), manglePrivateMembers()],
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
      output: { minify: true, comments: { legal: true, annotation: false, jsdoc: false } },
    },
  },
}));
