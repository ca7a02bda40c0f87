// <moz-usage-chart>: usage against plan limits as a uPlot bar chart (percent of each limit), with the
// same numbers in a table for people who do not see the canvas.
import { LitElement, css, html, unsafeCSS, type PropertyValues } from 'lit';
import uPlot from 'uplot';
import uplotCss from 'uplot/dist/uPlot.min.css';

export interface UsageMetric {
  used: number;
  limit: number | null;
  percentage: number | null;
}

const LABELS: Record<string, string> = { api_calls: 'API calls', apps: 'Apps', domains: 'Domains', team_members: 'Team members' };
const label = (metric: string) => LABELS[metric] ?? metric;

export class MozUsageChart extends LitElement {
  static override properties = { metrics: { attribute: false } };
  static override styles = [
    unsafeCSS(uplotCss),
    css`
      :host { display: block; }
      figure { margin: 0; }
      .chart { max-width: 560px; overflow: hidden; }
      caption { text-align: left; font-size: 0.875rem; color: #4b5563; }
      table { border-collapse: collapse; margin-top: 0.5rem; max-width: 100%; }
      th, td { text-align: left; padding: 0.3rem 0.6rem; border-bottom: 1px solid #d1d5db; }
      th { background: #f3f4f6; }
    `,
  ];
  declare metrics: Record<string, UsageMetric> | undefined;
  private plot?: uPlot;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.plot?.destroy();
    this.plot = undefined;
  }

  protected override updated(changed: PropertyValues): void {
    if (!changed.has('metrics')) return;
    this.plot?.destroy();
    const metrics = Object.entries(this.metrics ?? {});
    const target = this.renderRoot.querySelector<HTMLElement>('.chart');
    if (!target || metrics.length === 0) return;
    const names = metrics.map(([name]) => label(name));
    const xs = metrics.map((_, i) => i);
    const used = metrics.map(([, m]) => (m.limit === null ? 0 : m.limit === 0 ? (m.used > 0 ? 100 : 0) : Math.min(150, (m.used / m.limit) * 100)));
    const top = Math.max(100, ...used) * 1.1;
    this.plot = new uPlot(
      {
        width: Math.min(560, Math.max(240, target.clientWidth || this.clientWidth || 320)),
        height: 220,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false, range: [-0.5, metrics.length - 0.5] }, y: { range: [0, top] } },
        axes: [
          { splits: () => xs, values: (_u, splits) => splits.map((i) => names[i] ?? ''), stroke: '#1b1f24', grid: { show: false } },
          { values: (_u, splits) => splits.map((v) => `${v}%`), stroke: '#1b1f24' },
        ],
        series: [
          {},
          { label: 'Used (% of limit)', fill: '#0b57b0', stroke: '#0b57b0', paths: uPlot.paths.bars!({ size: [0.5, 80] }), points: { show: false } },
          { label: 'Limit', stroke: '#a4161a', width: 2, dash: [6, 4], points: { show: false } },
        ],
      },
      [xs, used, xs.map(() => 100)],
      target,
    );
  }

  override render() {
    const metrics = Object.entries(this.metrics ?? {});
    if (metrics.length === 0) return html`<p>No usage recorded.</p>`;
    const summary = metrics
      .map(([name, m]) => `${label(name)}: ${m.used} of ${m.limit === null ? 'unlimited' : m.limit}`)
      .join('; ');
    return html`<figure>
      <div class="chart" role="img" aria-label=${`Usage against plan limits. ${summary}`}></div>
      <figcaption>
        <table>
          <caption>Usage against plan limits (the dashed line is 100% of the limit)</caption>
          <thead><tr><th scope="col">Metric</th><th scope="col">Used</th><th scope="col">Limit</th><th scope="col">Share</th></tr></thead>
          <tbody>
            ${metrics.map(
              ([name, m]) => html`<tr>
                <td>${label(name)}</td>
                <td>${m.used.toLocaleString()}</td>
                <td>${m.limit === null ? 'unlimited' : m.limit.toLocaleString()}</td>
                <td>${m.percentage === null ? '–' : `${m.percentage}%`}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </figcaption>
    </figure>`;
  }
}

customElements.get('moz-usage-chart') ?? customElements.define('moz-usage-chart', MozUsageChart);
