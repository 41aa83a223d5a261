import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { promisify } from 'node:util';
import { AxeBuilder } from '@axe-core/playwright';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';

const repoRoot = join(import.meta.dirname, '..', '..');
const cli = join(repoRoot, 'bin', 'tenantpilot.js');
const screenshotDir = join(repoRoot, 'test-artifacts', 'screenshots');
const run = promisify(execFile);

/** Fixture key → id, per collection, as printed by `tenantpilot fixtures load`. */
export type FixtureIds = Record<string, Record<string, number>>;

export interface RunningServer {
  baseUrl: string;
  ids: FixtureIds;
  stop: () => Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

/** The child gets the embedded database in its own directory, whatever the developer's shell says. */
function serverEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TENANTPILOT_DATA_DIR: dataDir, NODE_ENV: 'test' };
  delete env.DATABASE_URL;
  return env;
}

async function waitForHealth(baseUrl: string, child: ChildProcess, output: () => string): Promise<void> {
  // Two browser test files start their servers at once (--test-concurrency=2): on a loaded machine that
  // has taken more than 30 s (measured when the server still compiled through tsx at each start).
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`server did not answer /healthz within 90 s:\n${output()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** The real server through the CLI, on a fresh embedded database loaded with `fixturePath`. */
export async function startServer(
  fixturePath: string,
  options: { env?: NodeJS.ProcessEnv; port?: number } = {},
): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tenantpilot-e2e-data-'));
  const env = { ...serverEnv(dataDir), ...options.env };
  const loaded = await run(process.execPath, [cli, 'fixtures', 'load', fixturePath], { cwd: repoRoot, env });
  const ids = JSON.parse(loaded.stdout) as FixtureIds;
  const { baseUrl, stop } = await serve(dataDir, env, options.port);
  return { baseUrl, ids, stop };
}

/**
 * The real server on an empty embedded database: no fixtures, no demo, nobody has an account yet (the
 * first run). `output()` is everything it printed so far (the one-time setup link among it).
 */
export async function startEmptyServer(
  options: { env?: NodeJS.ProcessEnv } = {},
): Promise<RunningServer & { output: () => string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tenantpilot-e2e-data-'));
  const { baseUrl, stop, output } = await serve(dataDir, { ...serverEnv(dataDir), ...options.env });
  return { baseUrl, ids: {}, stop, output };
}

/**
 * `tenantpilot serve` on `dataDir` on a free port (or `port`, when its URL must be known before, as an
 * identity provider's redirect URI is), once it answers /healthz; stop() also removes the data.
 */
async function serve(dataDir: string, env: NodeJS.ProcessEnv, chosenPort?: number) {
  const port = chosenPort ?? (await freePort());
  const child = spawn(process.execPath, [cli, 'serve', '--port', String(port), '--host', '127.0.0.1'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(baseUrl, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, stop, output: () => output };
}

export interface RunningBrowser {
  context: BrowserContext;
  page: Page;
  close: () => Promise<void>;
}

/** `args`: more Chromium switches (trusting a test identity provider's certificate). */
export async function launchBrowser(
  baseURL: string,
  options: { args?: string[] } = {},
): Promise<RunningBrowser> {
  const profileDir = mkdtempSync(join(tmpdir(), 'tenantpilot-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    baseURL,
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
    timezoneId: 'UTC',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(options.args ?? []),
    ],
  });
  context.setDefaultTimeout(10_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const close = async () => {
    await context.close();
    rmSync(profileDir, { recursive: true, force: true });
  };
  return { context, page, close };
}

/** Signs in through the form; the page ends wherever the app sends the user (`next` or their first tenant). */
export interface ServerAndBrowser {
  server(): RunningServer;
  browser(): RunningBrowser;
  page(): Page;
}

/**
 * Call at the top of a browser test file: the real server on `fixturePath` and a browser start before
 * its tests and stop after them. `env` runs in the start-up hook, so it can start what the server must
 * reach first (a fake desk) and name it.
 */
export function withServerAndBrowser(
  fixturePath: string,
  options: { env?: () => NodeJS.ProcessEnv | Promise<NodeJS.ProcessEnv> } = {},
): ServerAndBrowser {
  let server: RunningServer | undefined;
  let browser: RunningBrowser | undefined;
  before(async () => {
    server = await startServer(fixturePath, { env: await options.env?.() });
    browser = await launchBrowser(server.baseUrl);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
  const started = {
    server() {
      assert.ok(server, 'server not started');
      return server;
    },
    browser() {
      assert.ok(browser, 'browser not started');
      return browser;
    },
    page: () => started.browser().page,
  };
  return started;
}

/** The page's first definition list as "Label value Label value …", one space between the parts. */
export async function definitionListText(page: Page): Promise<string> {
  const parts = await page
    .locator('dl')
    .first()
    .evaluate((list) => Array.from(list.querySelectorAll('dt, dd'), (node) => node.textContent ?? ''));
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}

export async function signInAs(page: Page, email: string, password: string): Promise<void> {
  if (!new URL(page.url()).pathname.startsWith('/sign-in')) await page.goto('/sign-in');
  await page.getByRole('textbox', { name: 'Email', exact: true }).fill(email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await page.getByRole('textbox', { name: 'Password', exact: true }).press('Enter');
  await page.waitForURL((url) => url.pathname !== '/sign-in');
}

/** The whole page; `window: true` for what is on screen only (an open modal, which a full-page capture misplaces). */
export async function screenshot(
  page: Page,
  name: string,
  options: { window?: boolean } = {},
): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: !options.window });
}

/** A phone's width (px): every page fits it without scrolling sideways. */
export const PHONE_WIDTH = 390;

/** The page is no wider than the window: nothing makes the whole page scroll sideways. */
export async function assertNoSidewaysScroll(page: Page, label: string): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  assert.ok(
    scrollWidth <= clientWidth,
    `${label} scrolls sideways: ${scrollWidth} px wide in ${clientWidth} px`,
  );
}

/**
 * Waits until the layout has followed a new window width (media queries, the navbar collapsing, a modal going
 * full screen through a media-query hook): on a loaded machine that takes longer than a frame. Gives up after
 * 5 s without failing, so that the measurement after it reports what still sticks out.
 */
export async function settleAtWidth(page: Page, width: number): Promise<void> {
  await page.waitForFunction((expected) => window.innerWidth === expected, width);
  await page
    .waitForFunction(
      () => document.documentElement.scrollWidth <= document.documentElement.clientWidth,
      undefined,
      { timeout: 5_000 },
    )
    .catch(() => undefined);
  // The navigation drawer slides away when the window narrows: the screenshot is of the page it leaves.
  await untilStill(page);
}

/**
 * Looks at the current page on a phone: 390 px wide, no sideways scrolling, a screenshot `<name>-390`,
 * then back to the window size it had, once the layout has followed: the tenant switcher moves from the
 * navigation back into the header when the window widens, and keys sent before it has moved reach the copy
 * being removed (CI saw a switch typed right after this go nowhere).
 */
export async function checkAtPhoneWidth(
  page: Page,
  name: string,
  options: { window?: boolean } = {},
): Promise<void> {
  const before = page.viewportSize();
  await page.setViewportSize({ width: PHONE_WIDTH, height: 844 });
  try {
    await settleAtWidth(page, PHONE_WIDTH);
    await assertNoSidewaysScroll(page, name);
    await screenshot(page, `${name}-390`, options);
  } finally {
    if (before) {
      await page.setViewportSize(before);
      await settleAtWidth(page, before.width);
    }
  }
}

/**
 * Waits until no transition or animation has run for three frames (at most 120 frames): Mantine starts one a
 * frame after mounting, and a drawer or modal caught mid-way is neither what a person sees nor what axe
 * should measure. (A string: tsx would wrap a named function in a helper the page does not have.)
 */
async function untilStill(page: Page): Promise<void> {
  await page.evaluate(`(async () => {
    for (let settled = 0, tries = 0; settled < 3 && tries < 120; tries += 1) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
      const running = document.getAnimations();
      settled = running.length === 0 ? settled + 1 : 0;
      await Promise.all(running.map((animation) => animation.finished.catch(() => undefined)));
    }
  })()`);
}

/** Runs axe once nothing moves, and says whether a transition or animation started while it ran. */
async function analyzeSettled(page: Page) {
  // A modal fading in, or an error appearing, is measured mid-transition otherwise: half-transparent text
  // fails the contrast check that the settled page passes (seen on a loaded machine).
  await untilStill(page);
  await page.evaluate(`(() => {
    window.__movedDuringAxe = false;
    if (!window.__watchingMoves) {
      window.__watchingMoves = true;
      const moved = () => { window.__movedDuringAxe = true; };
      document.addEventListener('transitionstart', moved, true);
      document.addEventListener('animationstart', moved, true);
    }
  })()`);
  const { violations } = await new AxeBuilder({ page }).analyze();
  const moved = (await page.evaluate('window.__movedDuringAxe === true')) as boolean;
  return { violations, moved };
}

/** Fails on serious or critical axe violations, listing each rule and its first targets. */
export async function assertAccessible(page: Page, label: string): Promise<void> {
  let results = await analyzeSettled(page);
  // A transition that starts while axe runs (a notification timing out and fading away) is measured
  // half-transparent; measure again once it has settled. A violation of the settled page stays.
  for (let again = 0; again < 3 && results.violations.length > 0 && results.moved; again += 1) {
    results = await analyzeSettled(page);
  }
  const blocking = results.violations.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
  const report = blocking
    .map((violation) => {
      const targets = violation.nodes.slice(0, 3).map((node) => node.target.join(' '));
      return `${violation.id} (${violation.impact}): ${violation.help} — ${targets.join('; ')}`;
    })
    .join('\n');
  assert.equal(blocking.length, 0, `accessibility violations on ${label}:\n${report}`);
}

/** Whether `locator` shows within `timeout` ms: for a step a person would repeat when nothing came of it. */
function appearsWithin(locator: Locator, timeout: number): Promise<boolean> {
  return locator.waitFor({ timeout }).then(
    () => true,
    () => false,
  );
}

/**
 * Types into a searchable combobox by keyboard, as a person would (what it holds selected first), and waits
 * until its list holds only options with the typed text: the wanted option is already in the unfiltered
 * list, and an ArrowDown before the filter applies lands on another.
 */
export async function typeToFilter(
  page: Page,
  combobox: Locator,
  typed: string,
  option: string,
): Promise<void> {
  const wanted = page.getByRole('option', { name: option, exact: true });
  // A person whose typing opened no list types again. The tenant switcher is mounted anew when the layout
  // changes with the window's width, and keys sent to the copy being removed are lost (once in CI, after a
  // phone-width check, under load; not reproduced here even with the CPU throttled 20 times).
  for (let attempt = 1; ; attempt++) {
    await combobox.focus();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type(typed);
    if ((await appearsWithin(wanted, 5_000)) || attempt === 3) break;
  }
  await wanted.waitFor();
  await page.getByRole('option').filter({ hasNotText: typed }).first().waitFor({ state: 'detached' });
}

/**
 * Presses ArrowDown until `option` of the open list is the highlighted one (Mantine marks it
 * `data-combobox-selected`), as a person watching the list would, then Enter. Mantine re-reads which option
 * is highlighted a tick after a filtered list renders, so the first ArrowDown can still move from where the
 * unfiltered list was.
 */
export async function chooseHighlighted(page: Page, option: string): Promise<void> {
  const highlighted = page
    .getByRole('option', { name: option, exact: true })
    .and(page.locator('[data-combobox-selected]'));
  for (let press = 0; press < 5; press++) {
    await page.keyboard.press('ArrowDown');
    if (await appearsWithin(highlighted, 1_000)) break;
  }
  await page.keyboard.press('Enter');
}

/** Picks `option` of a searchable combobox by keyboard: typeToFilter, then ArrowDown to it and Enter. */
export async function chooseByTyping(
  page: Page,
  combobox: Locator,
  typed: string,
  option: string,
): Promise<void> {
  await typeToFilter(page, combobox, typed, option);
  await chooseHighlighted(page, option);
}
