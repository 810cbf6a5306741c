/** <diagnostics-panel>: which engine runs the model and why, model facts and load timings. */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import type { LoadedClassifier } from '../services/model/classifier.js';
import { consume } from '@lit/context';
import { classifierContext } from './app-context.js';
import { formatProbability } from '../core/format/format.js';
import { decisionRule } from '../core/cells/decision-rule.js';
import type { DecisionSpec } from '@malaria/contract';

@customElement('diagnostics-panel')
@localized()
export class DiagnosticsPanel extends LitElement {
  static override styles = css`
    :host {
      display: block;
      font-size: 0.9rem;
    }
    dl {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 0.2rem 1rem;
      margin: 0;
    }
    dt {
      color: var(--muted, #47606b);
    }
    dd {
      margin: 0;
      overflow-wrap: anywhere;
      font-variant-numeric: tabular-nums;
    }
    button {
      min-height: 48px;
      padding: 0 1rem;
      font: inherit;
      border-radius: 8px;
      margin-top: 0.6rem;
      cursor: pointer;
    }
  `;

  /** From the app shell (./app-context.ts); null while the model loads. */
  @consume({ context: classifierContext, subscribe: true })
  @state()
  classifier: LoadedClassifier | null = null;
  /** Bumped by the app when the backend changes, to re-render. */
  @property({ type: String }) backend = '';
  /** Live tfjs tensors, asked of the classifier (its worker's tfjs; this panel does not import tfjs). */
  @state() private tensors: number | null = null;
  private asked = 0;

  private refresh(): void {
    const c = this.classifier;
    const ticket = ++this.asked;
    if (!c) {
      this.tensors = null;
      return;
    }
    void c.tensorCount().then(
      (n) => {
        if (ticket === this.asked) this.tensors = n;
      },
      () => {
        if (ticket === this.asked) this.tensors = null;
      },
    );
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('classifier')) this.refresh();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.refresh();
  }

  /**
   * The labelling rule in the order the app applies it (decisionRule: the review band before the
   * threshold), so a cell shown as Needs review never contradicts it. The raw metadata values ride on
   * data attributes for tests.
   */
  private renderDecisionRule(decision: DecisionSpec) {
    const rule = decisionRule(decision);
    const p = (v: number) => formatProbability(v, 1);
    if (rule.kind === 'threshold') {
      return html`<dd data-testid="diag-decision-rule" data-parasitized-from=${rule.parasitizedFrom}>
        ${msg(str`Infected if the likelihood is ${p(rule.parasitizedFrom)} or more; not infected below ${p(rule.parasitizedFrom)}`)}
      </dd>`;
    }
    return html`<dd
      data-testid="diag-decision-rule"
      data-parasitized-from=${rule.parasitizedFrom}
      data-review-above=${rule.reviewAbove}
      data-review-below=${rule.reviewBelow}
    >
      ${msg(str`Infected if the likelihood is ${p(rule.parasitizedFrom)} or more; needs review if it is above ${p(rule.reviewAbove)} and below ${p(rule.reviewBelow)}; not infected if it is ${p(rule.uninfectedUpTo)} or less`)}
    </dd>`;
  }

  protected override render() {
    const c = this.classifier;
    if (!c) return html`<p>${msg('Model not loaded yet.')}</p>`;
    const d = c.diagnostics;
    const m = c.metadata;
    const ms = (v: number) => `${v.toFixed(0)} ms`;
    return html`<dl data-testid="diagnostics">
        <dt>${msg('Engine (backend)')}</dt>
        <dd data-testid="diag-backend">${c.backend}</dd>
        <dt>${msg('Why')}</dt>
        <dd translate="no">${d.backendReason}</dd>
        <dt>${msg('WebGL renderer')}</dt>
        <dd translate="no">${d.webglRenderer ?? '—'}</dd>
        ${
          d.wasm
            ? html`<dt>WASM</dt>
                <dd>
                  SIMD ${d.wasm.simd ? '✓' : '✗'}, threads ${d.wasm.threads ? `✓ (${d.wasm.threadCount ?? '?'})` : '✗'}
                </dd>`
            : nothing
        }
        <dt>${msg('Runs in')}</dt>
        <dd data-testid="diag-thread">
          ${d.thread === 'worker' ? msg('a background worker') : msg('the page (fallback)')}
        </dd>
        <dt>${msg('Cross-origin isolated')}</dt>
        <dd>${d.crossOriginIsolated ? '✓' : '✗'}</dd>
        <dt>${msg('Model')}</dt>
        <dd>${m.name}, ${m.createdAt}, ${(d.modelBytes / 1024).toFixed(0)} KiB</dd>
        <dt>${msg('Inference rewrites')}</dt>
        <dd translate="no" data-testid="diag-optimizations">${d.modelOptimizations}</dd>
        <dt>${msg('Input')}</dt>
        <dd>${m.input.width} × ${m.input.height} RGB, × ${m.input.scale.toPrecision(4)} + ${m.input.offset}</dd>
        <dt>${msg('Decision rule')}</dt>
        ${this.renderDecisionRule(m.decision)}
        <dt>${msg('Load time')}</dt>
        <dd>
          metadata ${ms(d.timings.metadataMs)}, weights ${ms(d.timings.weightsMs)}, backend ${ms(d.timings.backendMs)},
          warm-up ${ms(d.timings.warmupMs)}, total ${ms(d.timings.totalMs)}
        </dd>
        ${
          d.history.length > 1
            ? html`<dt>${msg('Backend changes')}</dt>
                <dd translate="no">
                  ${d.history
                    .slice(1)
                    .map((h) => `${h.at}: ${h.backend} — ${h.reason}`)
                    .join('; ')}
                </dd>`
            : nothing
        }
        <dt>${msg('Live tensors')}</dt>
        <dd data-testid="diag-tensors">${this.tensors ?? '…'}</dd>
      </dl>
      <button type="button" @click=${this.refresh}>${msg('Refresh')}</button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'diagnostics-panel': DiagnosticsPanel;
  }
}
