/**
 * <pwa-status>: the app header's offline/update/install strip.
 *  - Connection pill: "Works offline" once the service worker is set up, "Offline · works offline"
 *    when the browser reports no network (connectionIndicator in update-state.ts says why it never
 *    claims "Online").
 *  - "Ready to work offline" after the first install.
 *  - "A new version is available" + Reload (waits for a running batch: "will reload when the batch
 *    finishes"); never reloads by itself.
 *  - "Install app" when the browser offers installation (beforeinstallprompt).
 *  - The running build id (also as `data-build-id`, with `data-phase`, `data-online` and `data-busy`,
 *    for tests).
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import { APP_BUILD_ID } from '../pwa/build-id.js';
import { pwa, type PwaController } from '../pwa/pwa-controller.js';
import { connectionIndicator, statusMessage, type PwaState } from '../pwa/update-state.js';

/**
 * The page keeps this much room at its bottom (malaria-app's <main>) for the floating notices, so on a
 * phone "Ready to work offline" or the Install button never sits over the page's last buttons. (The
 * notice itself stays until its OK: the offline-ready state is what the app reports to the user and
 * to checks, and it must not vanish on a timer.)
 */
const SPACE_VARIABLE = '--pwa-floating-space';

@customElement('pwa-status')
@localized()
export class PwaStatus extends LitElement {
  static override styles = css`
    :host {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem;
      font: inherit;
    }
    .toast {
      position: fixed;
      right: 1rem;
      bottom: 1rem;
      z-index: 6;
      display: flex;
      flex-wrap: wrap;
      justify-content: flex-end;
      align-items: center;
      gap: 0.5rem;
      max-width: calc(100vw - 2rem);
    }
    .toast button[data-testid='pwa-install'],
    .notice {
      box-shadow: 0 2px 8px rgb(16 42 51 / 0.3);
    }
    .pill {
      display: inline-flex;
      align-items: center;
      gap: 0.4em;
      padding: 0.3em 0.7em;
      border-radius: 999px;
      font-weight: 600;
      border: 2px solid currentColor;
    }
    .pill::before {
      content: '';
      width: 0.7em;
      height: 0.7em;
      border-radius: 50%;
      background: currentColor;
    }
    .ok {
      color: #0b6b3a;
      background: #e7f6ee;
    }
    .warn {
      color: #7a4b00;
      background: #fff4d6;
    }
    .notice {
      display: inline-flex;
      align-items: center;
      gap: 0.5rem;
      margin: 0;
      padding: 0.25rem 0.25rem 0.25rem 0.75rem;
      border-radius: 0.5rem;
      background: #0f4c5c;
      color: #fff;
      font-weight: 600;
    }
    .notice.error {
      background: #8a1c1c;
    }
    button {
      min-height: 44px;
      min-width: 44px;
      padding: 0 1rem;
      border-radius: 0.5rem;
      border: 2px solid #0f4c5c;
      background: #fff;
      color: #0f4c5c;
      font: inherit;
      font-weight: 700;
      cursor: pointer;
    }
    button:focus-visible {
      outline: 3px solid #f2b705;
      outline-offset: 2px;
    }
    button[disabled] {
      opacity: 0.6;
      cursor: default;
    }
    .version {
      font-size: 0.8rem;
      color: inherit;
      opacity: 0.75;
    }
  `;

  @state() private snapshot: PwaState;
  private readonly controller: PwaController = pwa;
  private readonly onChange = (): void => {
    this.snapshot = this.controller.state;
  };
  /** Keeps the page's bottom room equal to the floating notices' height (0 when none shows). */
  private readonly toastSize =
    typeof ResizeObserver === 'undefined'
      ? null
      : new ResizeObserver((entries) => {
          const box = entries[0]?.target.getBoundingClientRect();
          // The toast sits 1rem above the bottom edge: reserve that gap too when it shows anything.
          const space = box && box.height > 0 ? Math.ceil(window.innerHeight - box.top) : 0;
          document.documentElement.style.setProperty(SPACE_VARIABLE, `${Math.max(0, space)}px`);
        });

  constructor() {
    super();
    this.snapshot = this.controller.state;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.controller.addEventListener('change', this.onChange);
    this.onChange();
  }

  override disconnectedCallback(): void {
    this.controller.removeEventListener('change', this.onChange);
    this.toastSize?.disconnect();
    document.documentElement.style.removeProperty(SPACE_VARIABLE);
    super.disconnectedCallback();
  }

  protected override firstUpdated(): void {
    const toast = this.renderRoot.querySelector('.toast');
    if (toast) this.toastSize?.observe(toast);
  }

  protected override updated(): void {
    this.dataset.buildId = APP_BUILD_ID;
    this.dataset.phase = this.snapshot.phase;
    this.dataset.online = String(this.snapshot.online);
    this.dataset.busy = String(this.snapshot.busy);
  }

  private renderNotice(s: PwaState) {
    const message = statusMessage(s);
    if (!message) return nothing;
    return html`<p class="notice ${s.phase === 'error' ? 'error' : ''}" data-testid="pwa-message">
      <span>${message}</span>
      ${
        s.phase === 'update-available'
          ? html`<button data-testid="pwa-reload" @click=${() => this.controller.acceptUpdate()}>
              ${msg('Reload')}
            </button>`
          : nothing
      }
      ${
        s.phase === 'waiting-for-idle'
          ? html`<button data-testid="pwa-reload" disabled>${msg('Reload pending')}</button>`
          : nothing
      }
      ${
        s.phase === 'offline-ready'
          ? html`<button @click=${() => this.controller.dismissOfflineReady()}>OK</button>`
          : nothing
      }
    </p>`;
  }

  override render() {
    const s = this.snapshot;
    const c = connectionIndicator(s);
    return html`
      <span class="pill ${c.tone}" data-testid="pwa-connection" title=${c.detail}>${c.text}</span>
      <!-- Notices and the install button float over the page (fixed): they arrive after the first
           screen (service worker installed, beforeinstallprompt), and in the header they wrapped it
           onto another row and pushed the whole page down (Lighthouse desktop CLS 0.50). -->
      <div class="toast">
        <div role="status" aria-live="polite">${this.renderNotice(s)}</div>
        ${
          s.installAvailable
            ? html`<button data-testid="pwa-install" @click=${() => void this.controller.promptInstall()}>
                ${msg('Install app')}
              </button>`
            : nothing
        }
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pwa-status': PwaStatus;
  }
}
