/** Styles shared by the slide-session and records elements (tablet-first, large touch targets). */
import { css } from 'lit';

export const sessionStyles = css`
  :host {
    display: block;
    font: inherit;
    color: #14202b;
  }
  h2,
  h3 {
    margin: 0.5rem 0;
  }
  button,
  .button {
    min-height: 48px;
    min-width: 48px;
    padding: 0 1.1rem;
    border-radius: 0.5rem;
    border: 2px solid #0f4c5c;
    background: #0f4c5c;
    color: #fff;
    font: inherit;
    font-weight: 600;
    cursor: pointer;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.4rem;
  }
  button.secondary,
  .button.secondary {
    background: #fff;
    color: #0f4c5c;
  }
  button.danger {
    background: #8a1c1c;
    border-color: #8a1c1c;
    color: #fff;
  }
  button:disabled {
    opacity: 0.5;
    cursor: not-allowed;
  }
  button:focus-visible,
  input:focus-visible,
  select:focus-visible,
  .button:focus-within {
    outline: 3px solid #f4a300;
    outline-offset: 2px;
  }
  input,
  select {
    min-height: 48px;
    padding: 0 0.75rem;
    border: 2px solid #5a6b78;
    border-radius: 0.5rem;
    font: inherit;
    background: #fff;
    color: inherit;
    box-sizing: border-box;
  }
  label {
    font-weight: 600;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
    align-items: end;
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 0.25rem;
  }
  .card {
    border: 1px solid #c9d3da;
    border-radius: 0.75rem;
    padding: 1rem;
    margin: 0.75rem 0;
    background: #fff;
  }
  .message {
    padding: 0.75rem 1rem;
    border-radius: 0.5rem;
    margin: 0.5rem 0;
    font-weight: 600;
  }
  .message.error {
    background: #fde8e8;
    color: #7a1010;
    border: 2px solid #8a1c1c;
  }
  .message.info {
    background: #e7f1f6;
    color: #0f3c4c;
    border: 2px solid #0f4c5c;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  .verdict-positive {
    color: #8a1c1c;
  }
  .verdict-negative {
    color: #0b6b3a;
  }
  .verdict-incomplete {
    color: #7a4b00;
  }
  .disclaimer {
    font-size: 0.9rem;
    color: #3b4954;
    border-left: 4px solid #f4a300;
    padding-left: 0.75rem;
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  th,
  td {
    text-align: left;
    padding: 0.35rem 0.5rem;
    border-bottom: 1px solid #dde3e8;
  }
  td.num,
  th.num {
    text-align: right;
    font-variant-numeric: tabular-nums;
  }
`;
