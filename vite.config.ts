// The web app (issue 4): a plain TypeScript + d3 single-page app in web/, built to web/dist and
// served by the API server. Everything is bundled: no fonts, tiles or scripts from the internet
// (county intranets are offline).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('./web', import.meta.url));

export default defineConfig({
  root,
  // Relative asset URLs: the app works wherever the server mounts it.
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Government desktops run older Chromium-based browsers (360, QQ, Edge).
    target: 'es2020',
    chunkSizeWarningLimit: 1000,
  },
  server: {
    host: '127.0.0.1',
    // The web app imports pure rule code from solver/ (eligibility, labels), outside web/.
    fs: { allow: [fileURLToPath(new URL('.', import.meta.url))] },
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
