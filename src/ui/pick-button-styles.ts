import { css } from 'lit';

/**
 * The large file-picker button shared by the Cells and Field views: a `<label class="pick">` that
 * wraps a real, full-size, transparent `<input type="file">` (≥ 56 px touch target, visible focus).
 */
export const pickButtonStyles = css`
  label.pick {
    position: relative;
    display: inline-flex;
    align-items: center;
    min-height: 56px;
    padding: 0 1.4rem;
    border-radius: 10px;
    background: var(--brand, #0f4c5c);
    color: #fff;
    font-weight: 700;
    cursor: pointer;
  }
  label.pick input {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    opacity: 0;
    cursor: pointer;
  }
  label.pick:focus-within {
    outline: 3px solid var(--focus, #ffbf47);
    outline-offset: 2px;
  }
`;
