import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import {
  assertAccessible,
  definitionListText,
  type RunningBrowser,
  type ServerAndBrowser,
  screenshot as saveScreenshot,
  signInAs,
  withServerAndBrowser,
} from './helpers.ts';

/** Shared by the findings browser tests: one server on findings.fixture.json and one browser per file. */
const fixture = join(import.meta.dirname, 'findings.fixture.json');
export const users = {
  owner: { email: 'owen.owner@acme.test', password: 'owner-password-1234' },
  manager: { email: 'mia.manager@acme.test', password: 'manager-password-1234' },
  operator: { email: 'olivia.operator@acme.test', password: 'operator-password-1234' },
  readonly: { email: 'rita.readonly@acme.test', password: 'readonly-password-1234' },
};

let world: ServerAndBrowser | undefined;

/** Call once at the top of a test file: starts the server and browser before its tests, stops them after. */
export function startFindingsWorld(): void {
  world = withServerAndBrowser(fixture);
}

function started(): ServerAndBrowser {
  assert.ok(world, 'call startFindingsWorld() first');
  return world;
}

export const runningBrowser = (): RunningBrowser => started().browser();
export const page = (): Page => started().page();

export function findingId(key: string): number {
  const id = started().server().ids.findings?.[key];
  assert.ok(id, `fixture finding ${key} has no id in the fixtures load output`);
  return id;
}

export async function signInFresh(user: { email: string; password: string }): Promise<void> {
  await runningBrowser().context.clearCookies();
  await page().goto('/sign-in');
  await signInAs(page(), user.email, user.password);
}

export async function heading(name: string, level = 1) {
  await page().getByRole('heading', { name, level, exact: true }).waitFor();
}

/** The finding's summary as "Label value Label value …". */
export const summaryText = (): Promise<string> => definitionListText(page());

export async function waitForSummary(pattern: RegExp): Promise<void> {
  const deadline = Date.now() + 10_000;
  let last = '';
  while (Date.now() < deadline) {
    last = await summaryText();
    if (pattern.test(last)) return;
    await page().waitForTimeout(100);
  }
  assert.match(last, pattern);
}

export async function choose(scope: Page | Locator, label: string, option: string): Promise<void> {
  await scope.getByRole('combobox', { name: label, exact: true }).click();
  await page().getByRole('option', { name: option, exact: true }).click();
}

/** Axe reads colours mid-fade as low contrast: wait until the modal's transitions have finished. */
export async function transitionsDone(target: Page = page()): Promise<void> {
  await target.waitForFunction(() => document.getAnimations().length === 0);
}

/** The shell's header is fixed: a full-page shot of a scrolled page paints it mid-page. */
export async function screenshot(target: Page, name: string): Promise<void> {
  await target.evaluate(() => window.scrollTo(0, 0));
  await saveScreenshot(target, name);
}

export function dialog(name: string): Locator {
  return page().getByRole('dialog', { name });
}

export async function tableTitles(): Promise<string[]> {
  const table = page().getByRole('table', { name: 'Findings' });
  await table.waitFor();
  // The title links to the finding; a first column of row checkboxes (bulk changes) holds no link.
  return table.locator('tbody tr td a[href*="/findings/"]').allInnerTexts();
}

export async function assign(owner: string | null, assignee: string | null, expected: string, name: string) {
  await page().getByRole('button', { name: 'Assign', exact: true }).click();
  const modal = dialog('Assign finding');
  await modal.waitFor();
  if (owner) await choose(modal, 'Owner', owner);
  if (assignee) await choose(modal, 'Assignee', assignee);
  if (name === '05-assigned') {
    await transitionsDone();
    await assertAccessible(page(), 'assign modal');
  }
  await modal.getByRole('button', { name: 'Save' }).click();
  await modal.getByText(expected, { exact: true }).waitFor();
  await screenshot(page(), `findings-${name}`);
  await modal.getByRole('button', { name: 'Close', exact: true }).click();
  await modal.waitFor({ state: 'hidden' });
}
