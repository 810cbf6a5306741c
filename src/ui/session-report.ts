/**
 * <session-report>: one slide as a report a lab can sign (screen and print): the screening-aid
 * statement first, identifier, dates, reviewer, the result from the review (slide-result-panel:
 * verdict, parasitaemia with its 95 % interval, density, detection limit), the counts, the crops of
 * every confirmed cell, a table of images, field thumbnails and a signature line.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { html as staticHtml, literal } from 'lit/static-html.js';
import { localized, msg, str } from '@lit/localize';
import type { FieldRecord, SessionRecord } from '../core/records/schema.js';
import type { SlideVerdictRule } from '@malaria/contract';
import { storedImageUrl } from '../services/records/stored-image.js';
import { buildQueue } from '../core/slide/review.js';
import { countArtefacts } from '../core/cells/cell-counts.js';
import { countReviews, slideResult } from '@malaria/contract';
import { sessionStyles } from './session-styles.js';
import { formatPercent } from '../core/format/format.js';
import { recordTime } from './core-text.js';
import { clinicName } from './device-settings.js';
import { FIELD_LABELS, FIELD_LOOKS, swatchSvg } from './palette.js';
import { labelText } from './words.js';
import './field-thumbnail.js';
import './session-totals.js';
import './slide-result-panel.js';

/** The report's screening-aid statement (page 1), in the current language. */
export function screeningDisclaimer(): string {
  return msg(
    'Screening aid only, not a diagnosis. Every result must be confirmed by a trained microscopist before any treatment decision. The classifier can miss parasites and can call artefacts parasites.',
  );
}

const MAX_THUMBNAILS = 6;
/** Confirmed cells shown with their crop (the rest are counted in the table). */
const MAX_CONFIRMED_CROPS = 24;

function when(t: number | null): string {
  return t === null ? '—' : recordTime(t);
}

export function ruleSummary(rule: SlideVerdictRule | null, fromModel: boolean) {
  if (!rule)
    return html`<p>
      ${msg('The rule was not stored with this verdict (recorded by an earlier version of the app).')}
    </p>`;
  return html`<p data-testid="verdict-rule">${rule.description}</p>
    <p>
      ${
        rule.validation
          ? msg(
              str`Validated on ${rule.validation.patients} patients: sensitivity ${formatPercent(rule.validation.sensitivity * 100, 1)}, specificity ${formatPercent(rule.validation.specificity * 100, 1)}.`,
            )
          : fromModel
            ? msg('Rule shipped with the model (no patient-level validation figures recorded).')
            : msg('Provisional default rule (the model did not ship a validated rule).')
      }
    </p>`;
}

@customElement('session-report')
@localized()
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
      .crops {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(7rem, 1fr));
        gap: 0.5rem;
      }
      .crops figure {
        margin: 0;
        break-inside: avoid;
      }
      .crops img {
        width: 100%;
        aspect-ratio: 1;
        object-fit: contain;
        background: #000;
        display: block;
      }
      .crops figcaption,
      td.name {
        font-size: 0.8rem;
        overflow-wrap: anywhere;
      }
      .signature p {
        margin: 1.2rem 0 0.4rem;
      }
      .signature .line {
        display: inline-block;
        min-width: 14em;
        border-bottom: 1px solid #000;
      }
      h2.section {
        font-size: 1.17em;
      }
      h1.title {
        font-size: 1.5rem;
        margin: 0.5rem 0;
      }
      .clinic {
        font-size: 1.2rem;
        font-weight: 700;
        margin: 0.25rem 0;
        overflow-wrap: anywhere;
      }
      .legend {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 1rem;
        font-size: 0.9rem;
      }
      .legend span {
        display: inline-flex;
        align-items: center;
        gap: 0.3rem;
      }
      .disclaimer strong {
        display: block;
      }
      table {
        table-layout: fixed;
      }
      th,
      td {
        overflow-wrap: anywhere;
        hyphens: auto;
      }
      col.idx {
        width: 2.2em;
      }
      col.name {
        width: 32%;
      }
      td.name {
        word-break: break-all;
      }
      @media (max-width: 600px) {
        table {
          font-size: 0.8em;
        }
        col.idx {
          width: 1.6em;
        }
        th,
        td {
          padding: 0.3rem 0.2rem;
        }
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
          grid-template-columns: repeat(8, minmax(0, 1fr));
          font-size: 0.8em;
        }
        .crops {
          grid-template-columns: repeat(8, minmax(0, 1fr));
        }
        tr,
        figure,
        .signature,
        .legend {
          break-inside: avoid;
        }
        /* Paper columns are wide enough for whole header words: "Confirme/d" was split mid-word. */
        th {
          overflow-wrap: normal;
          word-break: normal;
          hyphens: manual;
        }
        h2.section,
        h3.section {
          break-after: avoid;
        }
      }
    `,
  ];

  @property({ attribute: false }) session: SessionRecord | null = null;
  @property({ attribute: false }) fields: FieldRecord[] = [];
  /** The model's measured queue recall (metadata.json reviewQueue.recall); null: limit not stated. */
  @property({ attribute: false }) queueRecall: number | null = null;
  /** Printed on its own (print-report.ts): the page's main landmark, its title a level-1 heading. */
  @property({ type: Boolean }) standalone = false;

  private urls: string[] = [];

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.revokeUrls();
  }

  private revokeUrls(): void {
    for (const u of this.urls) URL.revokeObjectURL(u);
    this.urls = [];
  }

  private url(image: Parameters<typeof storedImageUrl>[0]): string {
    const u = storedImageUrl(image);
    this.urls.push(u);
    return u;
  }

  private renderConfirmed() {
    const confirmed = buildQueue(
      this.fields.map((f) => ({ id: f.id, index: f.index, name: f.name, cells: f.cells })),
    ).filter((q) => q.decision === 'confirmed');
    if (!confirmed.length) return nothing;
    const shown = confirmed.slice(0, MAX_CONFIRMED_CROPS);
    return html`<section class="card">
      ${this.heading(msg(str`Cells confirmed as parasitized (${confirmed.length})`))}
      <div class="crops">
        ${shown.map((q) => {
          const f = this.fields.find((x) => x.id === q.fieldId);
          const ev = f?.evidence.find((e) => e.cell === q.cell);
          // A single-cell image is its own crop.
          const crop = ev?.image ?? (f?.kind === 'cell' ? f.image : null) ?? null;
          return html`<figure data-testid="report-confirmed-cell">
            ${crop ? html`<img src=${this.url(crop)} alt=${msg(str`Confirmed cell from ${q.fieldName}`)} />` : html`<div class="nocrop">${msg('no crop stored')}</div>`}
            <figcaption>${q.fieldIndex}. ${q.fieldName} · (${Math.round(q.x)}, ${Math.round(q.y)})</figcaption>
          </figure>`;
        })}
      </div>
      ${confirmed.length > shown.length ? html`<p>${msg(str`… and ${confirmed.length - shown.length} more (per-cell CSV).`)}</p>` : nothing}
    </section>`;
  }

  /** A section heading one level under the report's title (h2 when printed alone, else h3). */
  private heading(text: string) {
    const tag = this.standalone ? literal`h2` : literal`h3`;
    return staticHtml`<${tag} class="section">${text}</${tag}>`;
  }

  /** The outlines on the thumbnails, explained (the model's label for each cell). */
  private renderLegend() {
    return html`<div class="legend" role="group" aria-label=${msg('Outline legend')} data-testid="report-legend">
      <span>${msg('Outlines on the images (model):')}</span>
      ${FIELD_LABELS.map((k) => html`<span>${swatchSvg(FIELD_LOOKS[k])} ${labelText(k)}</span>`)}
    </div>`;
  }

  override render() {
    const s = this.session;
    if (!s) return nothing;
    this.revokeUrls();
    const result = slideResult(this.fields, s.targetRedCells, this.queueRecall);
    const thumbs = this.fields.filter((f) => f.image).slice(0, MAX_THUMBNAILS);
    const legacy = s.legacyModelVerdict;
    return html`
      <article aria-label=${msg(str`Slide report for ${s.identifier}`)}>
        <p class="disclaimer" data-testid="disclaimer">${screeningDisclaimer()}</p>
        <header>
          <p class="clinic" data-testid="report-clinic">
            ${clinicName() || html`${msg('Clinic / laboratory')}: <span class="line"></span>`}
          </p>
          ${
            this.standalone
              ? html`<h1 class="title">${msg('Malaria thin-film screening — slide report')}</h1>`
              : html`<h2 class="title">${msg('Malaria thin-film screening — slide report')}</h2>`
          }
        </header>
        <dl class="meta">
          <dt>${msg('Patient / slide')}</dt>
          <dd data-testid="report-identifier">${s.identifier}</dd>
          <dt>${msg('Started')}</dt>
          <dd>${when(s.createdAt)}</dd>
          <dt>${msg('Ended')}</dt>
          <dd>${s.endedAt === null ? msg('In progress') : when(s.endedAt)}</dd>
          <dt>${msg('Reviewed by')}</dt>
          <dd data-testid="report-reviewer">${s.reviewer?.trim() ? s.reviewer : msg('not recorded (sign below)')}</dd>
          <dt>${msg('Images')}</dt>
          <dd>${s.fieldCount}</dd>
          <dt>${msg('Model')}</dt>
          <dd>${s.modelName ?? '—'} ${msg("(flags cells for review; the result is the reviewer's)")}</dd>
        </dl>
        <section class="card" data-testid="report-verdict" data-verdict=${result.verdict}>
          ${this.heading(msg('Slide result'))}
          <slide-result-panel .result=${result} .bloodCount=${s.bloodCount}></slide-result-panel>
        </section>
        <section class="card signature" data-testid="report-signature">
          <p>${msg('Reviewed by:')} ${s.reviewer ? s.reviewer : html`<span class="line"></span>`}</p>
          <p>${msg('Signature:')} <span class="line"></span> &nbsp; ${msg('Date:')} <span class="line"></span></p>
        </section>
        <section class="card">
          ${this.heading(msg('Counts'))}
          <session-totals
            .counts=${countReviews(this.fields)}
            .target=${s.targetRedCells}
            .artefacts=${countArtefacts(this.fields.flatMap((f) => f.cells))}
          ></session-totals>
        </section>
        ${this.renderConfirmed()}
        ${
          legacy
            ? html`<section class="card">
                ${this.heading(msg('Model-only estimate from an older version of the app'))}
                <p>
                  ${legacy.verdict}: ${legacy.reason}
                  ${msg('This was not reviewed by a person and is not the slide result.')}
                </p>
                ${ruleSummary(legacy.rule, legacy.ruleFromModel)}
              </section>`
            : nothing
        }
        ${
          this.fields.length
            ? html`<section class="card">
                ${this.heading(msg('Images'))} ${this.renderLegend()}
                <table>
                  <colgroup>
                    <col class="idx" />
                    <col class="name" />
                    <col />
                    <col />
                    <col />
                    <col />
                    <col />
                  </colgroup>
                  <thead>
                    <tr>
                      <th>#</th>
                      <th>${msg('Image')}</th>
                      <th>${msg('Type')}</th>
                      <th class="num">${msg('Red cells')}</th>
                      <th class="num">${msg('Flagged')}</th>
                      <th class="num">${msg('Confirmed')}</th>
                      <th class="num">${msg('White blood cells')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${this.fields.slice(0, 40).map((f) => {
                      const c = countReviews([f]);
                      return html`<tr>
                        <td>${f.index}</td>
                        <td class="name">${f.name}</td>
                        <td>${f.kind === 'field' ? msg('Field') : msg('Cell')}</td>
                        <td class="num">${c.redCells}</td>
                        <td class="num">${c.queued}</td>
                        <td class="num">${c.confirmed}</td>
                        <td class="num">${c.whiteBloodCells}</td>
                      </tr>`;
                    })}
                  </tbody>
                </table>
                ${this.fields.length > 40 ? html`<p>${msg(str`… and ${this.fields.length - 40} more images (see the per-cell CSV).`)}</p>` : nothing}
                ${
                  thumbs.length
                    ? html`<div class="thumbs">
                        ${thumbs.map((f) => html`<field-thumbnail .field=${f}></field-thumbnail>`)}
                      </div>`
                    : nothing
                }
              </section>`
            : nothing
        }
      </article>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'session-report': SessionReport;
  }
}
