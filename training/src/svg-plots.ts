/** Dependency-free SVG charts for the training report (line charts, ROC, reliability diagram). */
export interface Series {
  name: string;
  points: [number, number][];
  color: string;
  dashed?: boolean;
}

interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  xRange?: [number, number];
  yRange?: [number, number];
  width?: number;
  height?: number;
  diagonal?: boolean;
  bars?: { x0: number; x1: number; y: number; color: string }[];
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (v: number): string =>
  Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);

export function lineChart(series: Series[], o: ChartOptions): string {
  const W = o.width ?? 640;
  const H = o.height ?? 400;
  const m = { l: 64, r: 20, t: 40, b: 56 };
  const all = series.flatMap((s) => s.points);
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const [x0, x1] = o.xRange ?? [
    Math.min(...xs),
    Math.max(...xs) === Math.min(...xs) ? Math.min(...xs) + 1 : Math.max(...xs),
  ];
  let [y0, y1] = o.yRange ?? [Math.min(...ys), Math.max(...ys)];
  if (y1 === y0) {
    y0 -= 0.5;
    y1 += 0.5;
  }
  const sx = (x: number) => m.l + ((x - x0) / (x1 - x0)) * (W - m.l - m.r);
  const sy = (y: number) => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
  );
  parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  parts.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(o.title)}</text>`);
  for (let k = 0; k <= 5; k++) {
    const xv = x0 + ((x1 - x0) * k) / 5;
    const yv = y0 + ((y1 - y0) * k) / 5;
    parts.push(`<line x1="${sx(xv)}" y1="${m.t}" x2="${sx(xv)}" y2="${H - m.b}" stroke="#eee"/>`);
    parts.push(`<line x1="${m.l}" y1="${sy(yv)}" x2="${W - m.r}" y2="${sy(yv)}" stroke="#eee"/>`);
    parts.push(`<text x="${sx(xv)}" y="${H - m.b + 16}" text-anchor="middle">${fmt(xv)}</text>`);
    parts.push(`<text x="${m.l - 6}" y="${sy(yv) + 4}" text-anchor="end">${fmt(yv)}</text>`);
  }
  parts.push(
    `<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="#333"/>`,
  );
  parts.push(`<text x="${W / 2}" y="${H - 14}" text-anchor="middle">${esc(o.xLabel)}</text>`);
  parts.push(`<text transform="translate(16 ${H / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`);
  for (const b of o.bars ?? []) {
    parts.push(
      `<rect x="${sx(b.x0) + 1}" y="${sy(b.y)}" width="${Math.max(0, sx(b.x1) - sx(b.x0) - 2)}" height="${Math.max(0, sy(y0) - sy(b.y))}" fill="${b.color}" opacity="0.35"/>`,
    );
  }
  if (o.diagonal)
    parts.push(
      `<line x1="${sx(x0)}" y1="${sy(y0)}" x2="${sx(x1)}" y2="${sy(y1)}" stroke="#999" stroke-dasharray="4 4"/>`,
    );
  series.forEach((s, i) => {
    const d = s.points.map((p, k) => `${k === 0 ? 'M' : 'L'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join(' ');
    parts.push(
      `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
    );
    if (s.points.length <= 60)
      for (const p of s.points) parts.push(`<circle cx="${sx(p[0])}" cy="${sy(p[1])}" r="3" fill="${s.color}"/>`);
    const ly = m.t + 16 + i * 18;
    parts.push(
      `<line x1="${W - m.r - 150}" y1="${ly}" x2="${W - m.r - 126}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
    );
    parts.push(`<text x="${W - m.r - 120}" y="${ly + 4}">${esc(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
