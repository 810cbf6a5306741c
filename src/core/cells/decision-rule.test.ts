import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { labelForProbability, parseModelMetadata, type DecisionSpec, type ModelLabel } from '@malaria/contract';
import { decisionRule, type DecisionRule } from './decision-rule.js';

const shipped = parseModelMetadata(JSON.parse(readFileSync('public/model/metadata.json', 'utf8')) as unknown);

/** The label the stated rule gives, to compare with what the app applies. */
function labelByRule(rule: DecisionRule, p: number): ModelLabel {
  if (rule.kind === 'threshold') return p >= rule.parasitizedFrom ? 'Parasitized' : 'Uninfected';
  if (p >= rule.parasitizedFrom) return 'Parasitized';
  if (p > rule.reviewAbove && p < rule.reviewBelow) return 'Inconclusive';
  return 'Uninfected';
}

function probes(d: DecisionSpec): number[] {
  const edges = [d.threshold, d.inconclusive.low, d.inconclusive.high];
  const out = [0, 1];
  for (let i = 0; i <= 1000; i++) out.push(i / 1000);
  for (const e of edges) out.push(e, e - 1e-9, e + 1e-9);
  return out.filter((p) => p >= 0 && p <= 1);
}

describe('decisionRule states the rule labelForProbability applies', () => {
  it('shipped model: the band edges from metadata.json, the threshold inside the band decides nothing', () => {
    const { threshold, inconclusive } = shipped.decision;
    const rule = decisionRule(shipped.decision);
    expect(rule).toEqual({
      kind: 'band',
      parasitizedFrom: inconclusive.high,
      reviewAbove: inconclusive.low,
      reviewBelow: inconclusive.high,
      uninfectedUpTo: inconclusive.low,
      thresholdDecides: false,
    });
    // The QA probe: a cell above the threshold but just below the band's high edge needs review.
    expect(threshold).toBeLessThan(inconclusive.high);
    expect(labelForProbability(inconclusive.high - 1e-6, shipped.decision)).toBe('Inconclusive');
    expect(labelForProbability(inconclusive.high, shipped.decision)).toBe('Parasitized');
    expect(labelForProbability(inconclusive.low, shipped.decision)).toBe('Uninfected');
    expect(labelForProbability(inconclusive.low + 1e-6, shipped.decision)).toBe('Inconclusive');
    for (const p of probes(shipped.decision)) {
      expect(labelByRule(rule, p), `P = ${p}`).toBe(labelForProbability(p, shipped.decision));
    }
  });

  it('agrees with labelForProbability for other valid decisions, band or no band', () => {
    const cases: DecisionSpec[] = [
      { threshold: 0.5, inconclusive: { low: 0.2, high: 0.8 } },
      { threshold: 0.3, inconclusive: { low: 0.3, high: 0.3 } },
      { threshold: 0.5, inconclusive: { low: 0, high: 1 } },
      { threshold: 0.7, inconclusive: { low: 0.1, high: 0.7 } },
    ];
    for (const d of cases) {
      const rule = decisionRule(d);
      for (const p of probes(d))
        expect(labelByRule(rule, p), `${JSON.stringify(d)} P = ${p}`).toBe(labelForProbability(p, d));
    }
    expect(decisionRule(cases[1]!)).toEqual({ kind: 'threshold', parasitizedFrom: 0.3 });
  });

  it('flags the one case where the threshold still decides (threshold = low: P = low is Parasitized)', () => {
    const d: DecisionSpec = { threshold: 0.2, inconclusive: { low: 0.2, high: 0.8 } };
    expect(decisionRule(d)).toMatchObject({ kind: 'band', thresholdDecides: true });
    expect(labelForProbability(0.2, d)).toBe('Parasitized');
  });
});
