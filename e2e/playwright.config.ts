// Playwright journeys against the RELEASE build in dist/ (`trunk build --release --offline`),
// served by scripts/serve-dist.mjs on 127.0.0.1. Only the release build goes through
// wasm-opt, and only a real browser notices a module that wasm-opt broke (blank page).
//
// Run with `./lab test` (or, after a release build: npx playwright test --config e2e/playwright.config.ts).
// The browser is Debian's /usr/bin/chromium: never run `npx playwright install`.
import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 4173);
const baseURL = `http://127.0.0.1:${port}/`;

export const chromiumLaunch = {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

export default defineConfig({
  testDir: '.',
  outputDir: 'test-results',
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1, // 2-core machine; the journeys are few and short
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL,
    browserName: 'chromium',
    launchOptions: chromiumLaunch,
    serviceWorkers: 'block',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  webServer: {
    command: `node scripts/serve-dist.mjs --dir dist --port ${port}`,
    cwd: '..',
    url: baseURL,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
