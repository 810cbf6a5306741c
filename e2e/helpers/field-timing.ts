/** Reads the Field view's `data-testid="field-timing"` line (image size and per-step milliseconds). */
export interface FieldTimingText {
  width: number;
  height: number;
  decodeMs: number;
  detectMs: number;
  classifyMs: number;
  totalMs: number;
}

export function parseFieldTiming(text: string): FieldTimingText {
  const num = (re: RegExp) => Number(re.exec(text)?.[1] ?? NaN);
  const size = /(\d+)×(\d+)/.exec(text);
  return {
    width: Number(size?.[1] ?? NaN),
    height: Number(size?.[2] ?? NaN),
    decodeMs: num(/decode (\d+) ms/),
    detectMs: num(/detection (\d+) ms/),
    classifyMs: num(/classification (\d+) ms/),
    totalMs: num(/total (\d+) ms/),
  };
}
