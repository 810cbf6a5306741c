/** <batch-progress>: progress bar and Cancel button for a running batch. Fires `cancel`. */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';

@customElement('batch-progress')
@localized()
export class BatchProgressElement extends LitElement {
  static override styles = css`
    :host {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.8rem;
    }
    progress {
      flex: 1 1 12rem;
      height: 1.2rem;
      accent-color: var(--brand, #0f4c5c);
    }
    span {
      font-variant-numeric: tabular-nums;
      min-width: 8rem;
    }
    button {
      min-height: 48px;
      min-width: 48px;
      padding: 0 1.2rem;
      font: inherit;
      font-weight: 600;
      border-radius: 8px;
      border: 2px solid var(--parasitized, #a4161a);
      color: var(--parasitized, #a4161a);
      background: #fff;
      cursor: pointer;
    }
    button:focus-visible {
      outline: 3px solid var(--focus, #ffbf47);
      outline-offset: 2px;
    }
  `;

  @property({ type: Number }) done = 0;
  @property({ type: Number }) total = 0;

  protected override render() {
    return html`
      <progress
        data-testid="batch-progress"
        max=${this.total}
        .value=${this.done}
        aria-label=${msg('Classification progress')}
      ></progress>
      <span role="status">${msg(str`${this.done} / ${this.total} classified`)}</span>
      <button type="button" data-testid="cancel-batch" @click=${() => this.dispatchEvent(new Event('cancel'))}>
        ${msg('Cancel')}
      </button>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'batch-progress': BatchProgressElement;
  }
}
