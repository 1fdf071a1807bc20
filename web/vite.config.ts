// Builds the console into web/dist, which `tagbase serve` serves at `/`. In development
// (`npx vite web`) API calls go to a server on :8080.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [
    react(),
    {
      // Which builds of React and antd the bundle carries (Vite follows the NODE_ENV it was started
      // with): `tagbase serve` rebuilds a console that says other than production.
      name: 'build-mode',
      generateBundle() {
        this.emitFile({ type: 'asset', fileName: '.build-mode', source: `${process.env.NODE_ENV ?? 'production'}\n` });
      },
    },
  ],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 4096 },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/healthz': 'http://127.0.0.1:8080' } },
});
