/**
 * <camera-capture>: live preview from the rear camera (getUserMedia, facingMode "environment") with
 * a Capture button; where getUserMedia is missing or refused it offers
 * <input type="file" accept="image/*" capture="environment"> instead. Captured photos are sent up as
 * a `files-selected` event (detail: File[]), like every other input.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';

export type FilesSelectedEvent = CustomEvent<File[]>;

type CameraState = 'closed' | 'starting' | 'live' | 'fallback';

function cameraErrorMessage(err: unknown): string {
  const name = err instanceof DOMException ? err.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return msg('Camera permission was refused.');
    case 'NotFoundError':
    case 'OverconstrainedError':
      return msg('No camera was found on this device.');
    case 'NotReadableError':
      return msg('The camera is in use by another app.');
    default:
      return msg('The live camera is not available here.');
  }
}

@customElement('camera-capture')
@localized()
export class CameraCapture extends LitElement {
  static override styles = css`
    :host {
      display: contents;
    }
    button {
      min-height: 48px;
      min-width: 48px;
      padding: 0 1.2rem;
      font: inherit;
      font-weight: 600;
      border-radius: 8px;
      cursor: pointer;
      border: 2px solid var(--brand, #0f4c5c);
      background: #fff;
      color: var(--brand, #0f4c5c);
    }
    button.primary {
      background: var(--brand, #0f4c5c);
      color: #fff;
    }
    button:focus-visible,
    label:focus-within {
      outline: 3px solid var(--focus, #ffbf47);
      outline-offset: 2px;
    }
    .panel {
      flex-basis: 100%;
      display: grid;
      gap: 0.6rem;
      background: var(--panel, #fff);
      padding: 0.8rem;
      border-radius: 10px;
      box-shadow: 0 1px 3px rgb(0 0 0 / 0.15);
    }
    video {
      width: 100%;
      max-height: 60vh;
      background: #000;
      border-radius: 8px;
      object-fit: contain;
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      gap: 0.6rem;
      align-items: center;
    }
    label.file {
      display: inline-flex;
      align-items: center;
      min-height: 48px;
      padding: 0 1.2rem;
      border-radius: 8px;
      background: var(--brand, #0f4c5c);
      color: #fff;
      font-weight: 600;
      cursor: pointer;
    }
    label.file input {
      position: absolute;
      width: 1px;
      height: 1px;
      opacity: 0;
    }
    .note {
      color: var(--muted, #47606b);
      margin: 0;
    }
  `;

  @state() private mode: CameraState = 'closed';
  @state() private reason = '';
  @query('video') private video?: HTMLVideoElement;
  private stream: MediaStream | null = null;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop();
  }

  private stop(): void {
    this.stream?.getTracks().forEach((t) => t.stop());
    this.stream = null;
  }

  private async open(): Promise<void> {
    if (!navigator.mediaDevices?.getUserMedia) {
      this.reason = msg('This browser has no live camera access.');
      this.mode = 'fallback';
      return;
    }
    this.mode = 'starting';
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
      this.mode = 'live';
      await this.updateComplete;
      if (this.video) {
        this.video.srcObject = this.stream;
        await this.video.play().catch(() => undefined);
      }
    } catch (err) {
      this.stop();
      this.reason = cameraErrorMessage(err);
      this.mode = 'fallback';
    }
  }

  private close(): void {
    this.stop();
    this.mode = 'closed';
  }

  private emit(files: File[]): void {
    if (files.length)
      this.dispatchEvent(new CustomEvent<File[]>('files-selected', { detail: files, bubbles: true, composed: true }));
  }

  private async capture(): Promise<void> {
    const video = this.video;
    if (!video || !video.videoWidth) return;
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext('2d')?.drawImage(video, 0, 0);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) return;
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    this.emit([new File([blob], `camera-${stamp}.png`, { type: 'image/png' })]);
  }

  private onFallbackInput(e: Event): void {
    const input = e.target as HTMLInputElement;
    this.emit(Array.from(input.files ?? []));
    input.value = '';
  }

  protected override render() {
    switch (this.mode) {
      case 'closed':
        return html`<button type="button" data-testid="open-camera" @click=${this.open}>${msg('Camera')}</button>`;
      case 'starting':
        return html`<button type="button" disabled>${msg('Starting camera…')}</button>`;
      case 'live':
        return html`<div class="panel" role="group" aria-label=${msg('Camera')}>
          <video data-testid="camera-preview" autoplay playsinline muted></video>
          <div class="row">
            <button type="button" class="primary" data-testid="capture" @click=${this.capture}>
              ${msg('Capture cell')}
            </button>
            <button type="button" @click=${this.close}>${msg('Close camera')}</button>
          </div>
          <p class="note">${msg('Centre one red cell in the picture, then capture.')}</p>
        </div>`;
      case 'fallback':
        return html`<div class="panel" role="group" aria-label=${msg('Camera')}>
          <p class="note" role="status">
            ${this.reason} ${msg("You can still take a photo with the device's camera app:")}
          </p>
          <div class="row">
            <label class="file"
              >${msg('Take photo')}
              <input
                type="file"
                accept="image/*"
                capture="environment"
                data-testid="camera-fallback-input"
                @change=${this.onFallbackInput}
              />
            </label>
            <button type="button" @click=${this.close}>${msg('Close')}</button>
          </div>
        </div>`;
      default:
        return nothing;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'camera-capture': CameraCapture;
  }
  interface HTMLElementEventMap {
    'files-selected': FilesSelectedEvent;
  }
}
