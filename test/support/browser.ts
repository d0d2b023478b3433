/**
 * Headless Chromium for the browser tests: Debian's `chromium` (.ci/run installs it), driven by
 * playwright-core, which downloads no browser of its own. One browser per test file; every page
 * is offline from its first request (`context.setOffline` is not used: it would cut loopback too),
 * so a page that reached for a CDN would fail its test through `externalRequests`.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Where Chromium is: $CHROMIUM, else Debian's paths. */
function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(p));
  if (found === undefined) throw new Error(`no Chromium at ${candidates.join(', ')}: apt-get install -y chromium (as .ci/run does), or set CHROMIUM`);
  return found;
}

export function launchBrowser(): Promise<Browser> {
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

/**
 * A page that records every request it makes to a host other than loopback (there must be none)
 * and every script error. `httpCredentials`: what the browser answers a Basic challenge with (a
 * person typing them into its prompt); without them a challenge is answered with none.
 */
export async function offlinePage(
  browser: Browser,
  httpCredentials?: { username: string; password: string },
): Promise<{ page: Page; externalRequests: string[]; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, ...(httpCredentials ? { httpCredentials } : {}) });
  const externalRequests: string[] = [];
  const errors: string[] = [];
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.hostname === 'localhost') return route.continue();
    externalRequests.push(url.href);
    return route.abort();
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, externalRequests, errors };
}
