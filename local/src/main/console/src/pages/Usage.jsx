import { useState } from 'preact/hooks';
import { get } from '../api.js';
import { ChartView, PALETTE, Problem, Updated, usePoll } from '../components.jsx';
import { daysAgo, number, short, utcDay } from '../format.js';

const RANGES = [7, 30, 92];

/** Every UTC day from `from` to `to`, inclusive. */
function days(from, to) {
  const out = [];
  for (let d = new Date(`${from}T00:00:00Z`); utcDay(d) <= to; d = new Date(d.getTime() + 86_400_000)) out.push(utcDay(d));
  return out;
}

/** Credits and tasks per UTC day, stacked by app or by model. */
export function Usage() {
  const [range, setRange] = useState(7);
  const [by, setBy] = useState('app');
  const to = utcDay();
  const from = utcDay(daysAgo(range - 1));
  const usage = usePoll(() => Promise.all([get('/usage', { from, to }), get('/apps')]), 30_000, [from, to]);
  const [answer, apps] = usage.data ?? [];
  const names = Object.fromEntries((apps?.data ?? []).map((a) => [a.id, a.name]));
  const label = (key) => (by === 'app' ? names[key] ?? short(key) : key);

  let chart = null;
  if (answer) {
    const labels = days(answer.from, answer.to);
    const keys = Object.keys(by === 'app' ? answer.totals.apps : answer.totals.models);
    const series = (measure) => keys.map((key, i) => ({
      label: label(key),
      backgroundColor: PALETTE[i % PALETTE.length],
      data: labels.map((day) => answer.days
        .filter((d) => d.day === day && (by === 'app' ? d.appId === key : true))
        .reduce((sum, d) => sum + (by === 'app' ? d[measure] : d.models?.[key]?.[measure] ?? 0), 0)),
    }));
    const options = { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } };
    chart = { labels, credits: series('credits'), tasks: series('tasks'), options, keys };
  }
  return (
    <section class="page" data-page="usage" data-range={range} data-loaded={answer ? 'true' : 'false'}>
      <header class="page-head"><h1>Usage</h1><Updated at={usage.updatedAt} /></header>
      <div class="filters">
        <label>Range
          <select name="range" value={range} onChange={(e) => setRange(Number(e.currentTarget.value))}>
            {RANGES.map((r) => <option value={r}>last {r} days</option>)}
          </select>
        </label>
        <label>Per
          <select name="by" value={by} onChange={(e) => setBy(e.currentTarget.value)}>
            <option value="app">app</option><option value="model">model</option>
          </select>
        </label>
        <span class="muted">UTC days {from} – {to}; estimates for unfinished tasks, actual costs once settled</span>
      </div>
      <Problem error={usage.error} />
      {chart && (
        <>
          <div class="grid2">
            <div class="card"><h2>Credits per day, per {by}</h2>
              <ChartView type="bar" label={`credits per day per ${by}`} data={{ labels: chart.labels, datasets: chart.credits }} options={chart.options} /></div>
            <div class="card"><h2>Tasks per day, per {by}</h2>
              <ChartView type="bar" label={`tasks per day per ${by}`} data={{ labels: chart.labels, datasets: chart.tasks }} options={chart.options} /></div>
          </div>
          <div class="card">
            <h2>Totals</h2>
            <table class="compact" data-testid="usage-totals" data-by={by} data-from={answer.from} data-to={answer.to}>
              <thead><tr><th>{by}</th><th class="num">credits</th><th class="num">tasks</th></tr></thead>
              <tbody>
                {Object.entries(by === 'app' ? answer.totals.apps : answer.totals.models).map(([key, t]) => (
                  <tr><td>{label(key)}</td><td class="num">{number(t.credits)}</td><td class="num">{number(t.tasks)}</td></tr>
                ))}
                <tr class="total"><td>all</td><td class="num">{number(answer.totals.credits)}</td><td class="num">{number(answer.totals.tasks)}</td></tr>
              </tbody>
            </table>
            {answer.totals.possibleOrphans > 0 && <p class="muted">Includes {number(answer.totals.possibleOrphans)} possible orphan task(s) (ambiguous creates).</p>}
          </div>
        </>
      )}
    </section>
  );
}
