// Starts Debian's Chromium once per run (headless, fresh profile, no
// background traffic) through puppeteer-core, and loads pages in it.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import puppeteer from 'puppeteer-core';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

const ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

// Returns { browser, close() }; close() also removes the profile folder.
export async function launchBrowser() {
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'glimmer-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    userDataDir,
    defaultViewport: { width: 360, height: 640 },
    protocolTimeout: 60_000,
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => {});
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

// Loads url in page and waits for the load event. Returns the response.
export async function load(page, url) {
  return page.goto(url, { waitUntil: 'load', timeout: 30_000 });
}

// Runs fn(page) on a fresh tab of context, closing the tab afterwards.
// Dialogs are dismissed at once, so that a page that opens one cannot
// stall the run (everypage.mjs reports them).
export async function withPage(context, fn) {
  const page = await context.newPage();
  page.on('dialog', (dialog) => dialog.dismiss().catch(() => {}));
  try {
    return await fn(page);
  } finally {
    await page.close().catch(() => {});
  }
}
