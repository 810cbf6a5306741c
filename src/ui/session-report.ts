/**
 * <session-report>: one slide session as a one-page report (screen and print): identifier, dates,
 * totals, parasite density with its formula, the verdict with the rule that produced it, a table of
 * fields, a few thumbnails and the screening-aid disclaimer.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { FieldRecord, SessionRecord } from '../core/records/schema.js';
import { countCells } from '../core/slide/counts.js';
import { parasiteDensity, validateBloodCount } from '../core/slide/parasitaemia.js';
import type { SlideVerdictRule } from '../core/model-metadata.js';
import { sessionStyles } from './session-styles.js';
import './field-thumbnail.js';
import './session-totals.js';

export const SCREENING_DISCLAIMER =
  'Screening aid only, not a diagnosis. Every result must be confirmed by a trained microscopist ' +
  'before any treatment decision. The classifier can miss parasites and can call artefacts parasites.';

const MAX_THUMBNAILS = 6;

function when(t: number | null): string {
  return t === null ? '—' : new Date(t).toLocaleString();
}

export function ruleSummary(rule: SlideVerdictRule | null, fromModel: boolean) {
  if (!rule) return html`<p>The rule was not stored with this verdict (recorded by an earlier version of the app).</p>`;
  return html`<p data-testid="verdict-rule">${rule.description}</p>
    <p>
      ${rule.validation
        ? html`Validated on ${rule.validation.patients} patients: sensitivity
            ${(rule.validation.sensitivity * 100).toFixed(1)}%, specificity ${(rule.validation.specificity * 100).toFixed(1)}%.`
        : fromModel
          ? 'Rule shipped with the model (no patient-level validation figures recorded).'
          : 'Provisional default rule (the model did not ship a validated rule).'}
    </p>`;
}

@customElement('session-report')
export class SessionReport extends LitElement {
  static override styles = [
    sessionStyles,
    css`
      header {
        display: flex;
        justify-content: space-between;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      .meta {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.2rem 1rem;
        margin: 0.5rem 0;
      }
      .meta dt {
        font-weight: 600;
      }
      .meta dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      .verdict {
        font-size: 1.5rem;
        font-weight: 800;
      }
      .thumbs {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(10rem, 1fr));
        gap: 0.5rem;
      }
      @media print {
        :host {
          font-size: 10pt;
        }
        .card {
          border: none;
          padding: 0;
          margin: 0.3rem 0;
        }
        .thumbs {
          grid-template-columns: repeat(3, 1fr);
        }
        table,
        .thumbs,
        section {
          break-inside: avoid;
        }
      }
    `,
  ];

  @property({ attribute: false }) session: SessionRecord | null = null;
  @property({ attribute: false }) fields: FieldRecord[] = [];

  override render() {
    const s = this.session;
    if (!s) return nothing;
    const t = s.totals;
    const blood = s.bloodCount && !validateBloodCount(s.bloodCount) ? s.bloodCount : null;
    const density = blood ? parasiteDensity(t.parasitized, t.redCells, blood) : null;
    const thumbs = this.fields.filter((f) => f.image).slice(0, MAX_THUMBNAILS);
    return html`
      <article aria-label="Slide report for ${s.identifier}">
        <header>
          <h2>Malaria thin-film screening — slide report</h2>
        </header>
        <dl class="meta">
          <dt>Patient / slide</dt>
          <dd data-testid="report-identifier">${s.identifier}</dd>
          <dt>Started</dt>
          <dd>${when(s.createdAt)}</dd>
          <dt>Ended</dt>
          <dd>${s.endedAt === null ? 'In progress' : when(s.endedAt)}</dd>
          <dt>Images</dt>
          <dd>${s.fieldCount}</dd>
          <dt>Model</dt>
          <dd>${s.modelName ?? '—'}</dd>
        </dl>
        <section class="card">
          <h3>Counts</h3>
          <session-totals .totals=${t} .target=${s.targetRedCells}></session-totals>
          ${density
            ? html`<p>
                Parasite density: <strong data-testid="report-density">${Math.round(density.perMicrolitre).toLocaleString('en-US')}</strong>
                parasitized red cells/µL <br /><small>${density.formula}</small>
              </p>`
            : html`<p>Parasite density: not calculated (no red-cell count or haematocrit entered).</p>`}
        </section>
        <section class="card">
          <h3>Slide verdict</h3>
          ${s.verdict
            ? html`<p class="verdict verdict-${s.verdict.verdict}" data-testid="report-verdict">${s.verdict.verdict}</p>
                <p>${s.verdict.reason}</p>
                ${ruleSummary(s.verdict.rule, s.verdict.ruleFromModel)}`
            : html`<p data-testid="report-verdict">No verdict: the session has not been ended.</p>`}
        </section>
        ${this.fields.length
          ? html`<section class="card">
              <h3>Images</h3>
              <table>
                <thead>
                  <tr>
                    <th>#</th><th>Image</th><th>Type</th><th class="num">Red cells</th><th class="num">Parasitized</th>
                    <th class="num">Inconclusive</th><th class="num">White cells</th>
                  </tr>
                </thead>
                <tbody>
                  ${this.fields.slice(0, 40).map((f) => {
                    const c = countCells(f.cells, s.confidentProbability);
                    return html`<tr>
                      <td>${f.index}</td><td>${f.name}</td><td>${f.kind === 'field' ? 'Field' : 'Cell'}</td>
                      <td class="num">${c.redCells}</td><td class="num">${c.parasitized}</td>
                      <td class="num">${c.inconclusive}</td><td class="num">${c.whiteBloodCells}</td>
                    </tr>`;
                  })}
                </tbody>
              </table>
              ${this.fields.length > 40 ? html`<p>… and ${this.fields.length - 40} more images (see the per-cell CSV).</p>` : nothing}
              ${thumbs.length
                ? html`<div class="thumbs">${thumbs.map((f) => html`<field-thumbnail .field=${f}></field-thumbnail>`)}</div>`
                : nothing}
            </section>`
          : nothing}
        <p class="disclaimer" data-testid="disclaimer">${SCREENING_DISCLAIMER}</p>
      </article>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'session-report': SessionReport;
  }
}
