// The one headless Chromium launch used by the build's pre-render and the benchmarks (Debian's
// chromium; nothing downloaded). e2e/playwright.config.ts lists the same flags for the journeys.
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
