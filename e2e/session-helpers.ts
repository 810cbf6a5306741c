/**
 * Helpers for the slide-session / records e2e specs (e2e/session-*.spec.ts).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect } from './helpers/app-test.js';
import { FIXTURE_CELLS } from './helpers/paths.js';

export function fixtureCells(label: 'Parasitized' | 'Uninfected', count: number, from = 0): string[] {
  const names = readdirSync(join(FIXTURE_CELLS, label)).filter((f) => f.endsWith('.webp')).sort();
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
  await page.locator('malaria-app').getByRole('tab', { name, exact: true }).click();
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
  parasitized: string;
  inconclusive: string;
  parasitaemia: string;
}

export async function sessionTotals(page: Page): Promise<ShownTotals> {
  const v = sessionView(page).locator('session-totals').first();
  const text = async (id: string) => (await v.getByTestId(id).textContent())?.trim() ?? '';
  return {
    redCells: await text('total-red-cells'),
    parasitized: await text('total-parasitized'),
    inconclusive: await text('total-inconclusive'),
    parasitaemia: await text('total-parasitaemia'),
  };
}

export function recordRow(page: Page, identifier: string): Locator {
  return recordsView(page).locator(`[data-testid="record"][data-identifier="${identifier}"]`);
}

export async function rowTotals(row: Locator): Promise<ShownTotals & { verdict: string }> {
  const text = async (id: string) => (await row.getByTestId(id).textContent())?.trim() ?? '';
  return {
    redCells: await text('record-red-cells'),
    parasitized: await text('record-parasitized'),
    inconclusive: await text('record-inconclusive'),
    parasitaemia: await text('record-parasitaemia'),
    verdict: await text('record-verdict'),
  };
}
