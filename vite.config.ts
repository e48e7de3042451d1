import { defineConfig, type Plugin } from 'vite';
import { createDevBackend } from './demo/server/dev-backend.ts';

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
  plugins: command === 'serve' ? [devBackend()] : [],
  server: { port: 5173, strictPort: false },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: false,
    sourcemap: true,
    lib: {
      entry: 'src/index.ts',
      formats: ['es'],
      fileName: () => 'heidi-clinical-codes.js',
    },
    rolldownOptions: {
      output: { minify: true },
    },
  },
}));
