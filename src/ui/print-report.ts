/**
 * Prints one session report on its own: a <session-report> is placed directly under <body> and a
 * global print stylesheet hides everything else while printing (the app's elements live in shadow
 * roots, so a print rule inside them could not hide the app shell around the report).
 */
import type { FieldRecord, SessionRecord } from '../core/records/schema.js';
import './session-report.js';

const PORTAL_CLASS = 'session-report-print-portal';
const PRINT_CSS = `
  @media screen { .${PORTAL_CLASS} { display: none !important; } }
  @media print {
    html.printing-session-report body > :not(.${PORTAL_CLASS}) { display: none !important; }
    html.printing-session-report body { margin: 0; }
  }
  @page { margin: 12mm; }`;

let printSheet: CSSStyleSheet | null = null;

/** A constructed (adopted) stylesheet: allowed by the app's Content-Security-Policy, unlike <style>. */
function ensurePrintStyle(): void {
  if (printSheet) return;
  printSheet = new CSSStyleSheet();
  printSheet.replaceSync(PRINT_CSS);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, printSheet];
}

/** Opens the browser's print dialog for this session's report; cleans up afterwards. */
export function printSessionReport(session: SessionRecord, fields: FieldRecord[], queueRecall: number | null): void {
  ensurePrintStyle();
  document.querySelectorAll(`.${PORTAL_CLASS}`).forEach((el) => el.remove());
  const report = document.createElement('session-report');
  report.className = PORTAL_CLASS;
  report.setAttribute('data-testid', 'print-report');
  report.setAttribute('role', 'main');
  report.standalone = true;
  report.session = session;
  report.fields = fields;
  report.queueRecall = queueRecall;
  document.body.append(report);
  document.documentElement.classList.add('printing-session-report');
  const cleanup = () => {
    document.documentElement.classList.remove('printing-session-report');
    report.remove();
    window.removeEventListener('afterprint', cleanup);
  };
  window.addEventListener('afterprint', cleanup);
  // Let Lit render (and thumbnails load) before the dialog snapshots the page.
  void report.updateComplete.then(() => requestAnimationFrame(() => window.print()));
}
