/** Steps the support-request browser tests share: the modal, the latest-request card, API submits. */
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';

export function latestCard(page: Page): Locator {
  return page.getByRole('region', { name: 'Latest support request' });
}

export async function openModal(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Request support' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  return dialog;
}

export async function closeModal(dialog: Locator): Promise<void> {
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
}

export interface Filing {
  summary: string;
  mode: 'Internal only' | 'Create a ticket' | 'Link an existing ticket';
  severity?: 'low' | 'normal' | 'high' | 'blocking';
  reference?: string;
  url?: string;
}

export async function fillRequestForm(dialog: Locator, filing: Filing): Promise<void> {
  await dialog.getByRole('combobox', { name: /Severity/ }).selectOption(filing.severity ?? 'normal');
  await dialog.getByRole('textbox', { name: /^Summary/ }).fill(filing.summary);
  await dialog.getByRole('textbox', { name: /^Contact name/ }).fill('Olivia Operator');
  if (filing.mode !== 'Link an existing ticket') {
    // A stale form: link fields typed, then another choice made. The server answers 422 if they are sent.
    await dialog.getByRole('radio', { name: 'Link an existing ticket' }).check();
    await dialog.getByRole('textbox', { name: /^External ticket reference/ }).fill('STALE-1');
  }
  await dialog.getByRole('radio', { name: new RegExp(`^${filing.mode}`) }).check();
  if (filing.reference !== undefined) {
    await dialog.getByRole('textbox', { name: /^External ticket reference/ }).fill(filing.reference);
  }
  if (filing.url !== undefined) {
    await dialog.getByRole('textbox', { name: /^External ticket URL/ }).fill(filing.url);
  }
}

/** The modal's result view, once it shows: its text and the SR reference it names in bold. */
export async function readResult(dialog: Locator): Promise<{ text: string; reference: string }> {
  const result = dialog.getByRole('status').filter({ hasText: 'Support request reference' });
  await result.waitFor();
  const text = ((await result.textContent()) ?? '').replace(/\s+/g, ' ');
  const reference = (await result.locator('strong').textContent()) ?? '';
  assert.match(reference, /^SR-\S+$/, `the result names an SR reference: ${text}`);
  return { text, reference };
}

export async function expectCardShows(page: Page, reference: string, ...texts: string[]): Promise<void> {
  await latestCard(page).getByRole('link', { name: reference }).waitFor();
  const text = ((await latestCard(page).textContent()) ?? '').replace(/\s+/g, ' ');
  for (const expected of texts) assert.ok(text.includes(expected), `card lacks "${expected}": ${text}`);
}

/** Submits each body to `path` from inside the page (its session cookie and CSRF token); the statuses. */
export function submitThroughApi(page: Page, path: string, bodies: unknown[]): Promise<number[]> {
  return page.evaluate(
    async ({ path, bodies }) => {
      const sessionResponse = await fetch('/api/session', { headers: { Accept: 'application/json' } });
      const session = (await sessionResponse.json()) as { csrf_token: string };
      const statuses: number[] = [];
      for (const body of bodies) {
        const response = await fetch(path, {
          method: 'POST',
          headers: {
            Accept: 'application/json',
            'Content-Type': 'application/json',
            'x-csrf-token': session.csrf_token,
          },
          body: JSON.stringify(body),
        });
        statuses.push(response.status);
      }
      return statuses;
    },
    { path, bodies },
  );
}
