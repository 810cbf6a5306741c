import { css } from 'lit';

/** A photo with its cell outlines drawn over it in an SVG of the same size (field map, thumbnails). */
export const outlineFrameStyles = css`
  .frame {
    position: relative;
    background: #000;
    border-radius: 0.4rem;
    overflow: hidden;
  }
  img,
  svg {
    display: block;
    width: 100%;
    height: auto;
  }
  svg {
    position: absolute;
    inset: 0;
    height: 100%;
  }
`;
