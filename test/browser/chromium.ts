import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (apt-get install chromium), headless, in a fresh empty profile Playwright makes. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}
