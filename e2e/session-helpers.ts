/**
 * Helpers for the slide-session / records e2e specs (e2e/session-*.spec.ts).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect } from './helpers/app-test.js';
import { FIXTURE_CELLS } from './helpers/paths.js';

export function fixtureCells(label: 'Parasitized' | 'Uninfected', count: number, from = 0): string[] {
  const names = readdirSync(join(FIXTURE_CELLS, label))
    .filter((f) => f.endsWith('.webp'))
    .sort();
  const picked = names.slice(from, from + count);
  if (picked.length < count) throw new Error(`only ${picked.length} fixture cells in ${label}`);
  return picked.map((n) => join(FIXTURE_CELLS, label, n));
}

/** Collects console errors and uncaught errors of a page the `test` fixture does not watch. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

export async function showTab(page: Page, name: 'Session' | 'Records'): Promise<void> {
  await page
    .locator('malaria-app')
    .getByTestId(name === 'Session' ? 'nav-session' : 'nav-records')
    .click();
}

export function sessionView(page: Page): Locator {
  return page.locator('slide-session-view');
}

export function recordsView(page: Page): Locator {
  return page.locator('records-view');
}

export async function startSession(page: Page, identifier: string): Promise<void> {
  await showTab(page, 'Session');
  const view = sessionView(page);
  await view.getByTestId('session-identifier').fill(identifier);
  await view.getByTestId('start-session').click();
  await expect(view.getByTestId('session-current-identifier')).toHaveText(identifier);
}

export interface ShownTotals {
  redCells: string;
  flagged: string;
  confirmed: string;
}

/** The slide's running count as the session screen shows it. */
export async function sessionTotals(page: Page): Promise<ShownTotals> {
  const v = sessionView(page).locator('session-totals').first();
  const text = async (id: string) => (await v.getByTestId(id).textContent())?.trim() ?? '';
  return {
    redCells: await text('total-red-cells'),
    flagged: await text('total-flagged'),
    confirmed: await text('total-confirmed'),
  };
}

export function recordRow(page: Page, identifier: string): Locator {
  return recordsView(page).locator(`[data-testid="record"][data-identifier="${identifier}"]`);
}

/** A Records row's counts and result. */
export async function rowTotals(row: Locator): Promise<ShownTotals & { verdict: string }> {
  const text = async (id: string) => (await row.getByTestId(id).textContent())?.trim() ?? '';
  return {
    redCells: await text('record-red-cells'),
    flagged: await text('record-flagged'),
    confirmed: await text('record-confirmed'),
    verdict: await text('record-verdict'),
  };
}

/** The images of the open slide shown as maps (every field, the newest 48 single-cell images). */
export function sessionImages(page: Page): Locator {
  return sessionView(page).locator('session-field-map');
}
