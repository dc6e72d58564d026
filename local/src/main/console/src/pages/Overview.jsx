import { allTasks, get } from '../api.js';
import { ChartView, PALETTE, Problem, STATE_COLORS, Tile, Updated, usePoll } from '../components.jsx';
import { STATES, daysAgo, number, queueCheck, short, time, utcDay, wireStatus } from '../format.js';
import { loadMetrics, p95, periods, pointsFor, possibleOrphans, sumBy } from '../metrics.js';

const REFRESH_MS = 5000;
const STUCK_AFTER_MINUTES = 60;

/** Everything the overview shows, read in parallel. */
async function loadOverview() {
  const now = new Date();
  const since = daysAgo(1, now).toISOString();
  const today = utcDay(now);
  const [recent, usage, apps, health, metrics] = await Promise.all([
    allTasks({ createdAfter: since }, 5),
    get('/usage', { from: today, to: today }),
    get('/apps'),
    get('/health', { stuckAfterMinutes: STUCK_AFTER_MINUTES, oldest: 10 }),
    loadMetrics(24, 3600),
  ]);
  const byState = Object.fromEntries(STATES.map((s) => [s, 0]));
  const byFailure = {};
  for (const task of recent.tasks) {
    byState[task.state] = (byState[task.state] ?? 0) + 1;
    if (task.state === 'FAILED') {
      const code = task.failureCode || '(no code)';
      byFailure[code] = (byFailure[code] ?? 0) + 1;
    }
  }
  const fromMetrics = !metrics.unavailable;
  return {
    recent, byState, byFailure: fromMetrics ? failuresFromMetrics(metrics) : byFailure, usage, apps: apps.data, health,
    metrics: fromMetrics ? metrics : undefined, metricsUnavailable: metrics.unavailable,
  };
}

/** Failed tasks per failure code, from TasksFinished{State=FAILED}: every task, not only the listed pages. */
function failuresFromMetrics(metrics) {
  const out = {};
  for (const [code, count] of Object.entries(sumBy(metrics, 'TasksFinished', 'FailureCode', { State: 'FAILED' }))) {
    if (count > 0) out[code === 'none' ? '(no code)' : code] = count;
  }
  return out;
}

export function Overview({ navigate }) {
  const { data, error, updatedAt } = usePoll(loadOverview, REFRESH_MS, []);
  return (
    <section class="page" data-page="overview">
      <header class="page-head"><h1>Overview</h1><Updated at={updatedAt} /></header>
      <Problem error={error} />
      {data && <OverviewBody data={data} navigate={navigate} />}
    </section>
  );
}

function OverviewBody({ data, navigate }) {
  const { recent, byState, byFailure, usage, apps, health, metrics, metricsUnavailable } = data;
  const total = recent.tasks.length;
  const failures = Object.entries(byFailure).sort((a, b) => b[1] - a[1]);
  const spent = usage.totals.apps ?? {};
  return (
    <>
      <div class="tiles">
        <Tile label={`Tasks created, last 24 h${recent.complete ? '' : ' (first 500)'}`} value={`${number(total)}${recent.complete ? '' : '+'}`} testid="tile-tasks" />
        <Tile label="Running now" value={number((byState.ACCEPTED ?? 0) + (byState.SUBMITTED ?? 0) + (byState.OUTPUT_READY ?? 0))} />
        <Tile label="Failed, last 24 h" value={number(metrics ? Object.values(byFailure).reduce((a, b) => a + b, 0) : byState.FAILED)}
          warn={Object.keys(byFailure).length > 0} testid="tile-failed" />
        <Tile label="Credits today (UTC)" value={number(usage.totals.credits)} />
        <Tile label={`Stuck (> ${health.stuckAfterMinutes} min)`} value={number(health.stuckTasks.count)} warn={health.stuckTasks.count > 0} testid="tile-stuck" />
        <QueueTile label="Poller dead letters" check={queueCheck(health, 'pollerDeadLetters')} testid="tile-poller-dead-letters" />
        <QueueTile label="Stream failures" check={queueCheck(health, 'streamFailures')} testid="tile-stream-failures" />
      </div>
      {metrics ? <MetricTiles metrics={metrics} /> : (
        <p class="muted" data-testid="metrics-unavailable">Gateway metrics not shown: {metricsUnavailable}</p>
      )}
      <div class="grid2">
        {metrics && <FinishedPerHour metrics={metrics} />}
        <div class="card">
          <h2>Tasks created in the last 24 h, by current state</h2>
          <ChartView type="bar" label="tasks by state" data={{
            labels: STATES,
            datasets: [{ label: 'tasks', data: STATES.map((s) => byState[s] ?? 0), backgroundColor: STATES.map((s) => STATE_COLORS[s]) }],
          }} options={{ plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }} />
        </div>
        <div class="card" data-testid="failures">
          <h2>Failures by failure code, last 24 h <span class="muted">({metrics ? 'metrics: TasksFinished' : 'listed tasks'})</span></h2>
          {failures.length === 0 ? <p class="muted">No failed task.</p> : (
            <table class="compact">
              <thead><tr><th>failure code</th><th class="num">tasks</th></tr></thead>
              <tbody>{failures.map(([code, count]) => (
                <tr><td><a href={`#/tasks?state=FAILED`} onClick={(e) => { e.preventDefault(); navigate('/tasks', { state: 'FAILED' }); }}>
                  <code>{code}</code></a></td><td class="num">{count}</td></tr>
              ))}</tbody>
            </table>
          )}
        </div>
      </div>
      <div class="card">
        <h2>Credits spent today (UTC) against each app's daily budget</h2>
        <table class="budgets" data-testid="budgets">
          <thead><tr><th>app</th><th class="num">spent</th><th class="num">budget</th><th>share</th></tr></thead>
          <tbody>{apps.map((app, i) => {
            const credits = spent[app.id]?.credits ?? 0;
            const share = app.dailyCreditBudget > 0 ? Math.min(1, credits / app.dailyCreditBudget) : 1;
            return (
              <tr>
                <td><a href={`#/apps`}>{app.name}</a> <span class="muted">{short(app.id)}</span>{app.disabled && <span class="badge badge-disabled">disabled</span>}</td>
                <td class="num">{number(credits)}</td>
                <td class="num">{number(app.dailyCreditBudget)}</td>
                <td><div class="meter" title={`${Math.round(share * 100)} %`}>
                  <div style={{ width: `${share * 100}%`, background: share >= 0.9 ? '#c0392b' : PALETTE[i % PALETTE.length] }} />
                </div></td>
              </tr>
            );
          })}</tbody>
        </table>
      </div>
      <div class="card">
        <h2>Stuck tasks (not ended, created over {health.stuckAfterMinutes} minutes ago)</h2>
        {health.stuckTasks.oldest.length === 0 ? <p class="muted">None.</p> : (
          <table class="compact">
            <thead><tr><th>task</th><th>state</th><th>app</th><th>model</th><th>created</th></tr></thead>
            <tbody>{health.stuckTasks.oldest.map((t) => (
              <tr><td><a href={`#/tasks/${t.id}`}>{short(t.id)}</a></td><td>{t.state} ({wireStatus(t)})</td>
                <td>{short(t.appId)}</td><td>{t.model}</td><td>{time(t.createdAt)}</td></tr>
            ))}</tbody>
          </table>
        )}
      </div>
    </>
  );
}

/** A queue of the health report: a failed check ('unknown') is marked apart from a queue the stack lacks. */
function QueueTile({ label, check, testid }) {
  return (
    <div class={`tile${check.status === 'problem' ? ' warn' : ''}${check.status === 'unknown' ? ' unknown' : ''}`}
      title={check.reason} data-testid={testid} data-status={check.status}>
      <div class="tile-value">{check.value}</div>
      <div class="tile-label">{label}</div>
      {check.status === 'unknown' && <div class="tile-reason" data-testid={`${testid}-reason`}>{check.reason}</div>}
    </div>
  );
}

/**
 * What the gateway's metrics say about the last 24 h: submits, Runway calls, webhooks, archive delay, credits, and
 * possible orphans (a link to the Orphans page).
 */
function MetricTiles({ metrics }) {
  const submits = sumBy(metrics, 'Submits', 'Outcome');
  const accepted = submits.accepted ?? 0;
  const rejected = Object.entries(submits).filter(([o]) => o !== 'accepted' && o !== 'replayed').reduce((a, [, n]) => a + n, 0);
  const calls = sumBy(metrics, 'RunwayCalls', 'Outcome');
  const callTotal = Object.values(calls).reduce((a, b) => a + b, 0);
  const callErrors = callTotal - (calls['2xx'] ?? 0);
  const hooks = sumBy(metrics, 'WebhookDeliveries', 'Outcome');
  const archiveP95 = p95(metrics, 'CompletionToArchived');
  const charged = Object.values(sumBy(metrics, 'CreditsCharged', 'AppId')).reduce((a, b) => a + b, 0);
  const orphans = possibleOrphans(metrics);
  return (
    <div class="tiles" data-testid="metric-tiles">
      <Tile label="Submits accepted, 24 h" value={number(accepted)} testid="metric-submits-accepted" />
      <Tile label="Submits refused, 24 h" value={number(rejected)} warn={rejected > 0}
        title={Object.entries(submits).map(([o, n]) => `${o}: ${n}`).join(', ')} />
      <Tile label="Runway calls not 2xx" value={`${number(callErrors)} / ${number(callTotal)}`} warn={callErrors > 0}
        title={Object.entries(calls).map(([o, n]) => `${o}: ${n}`).join(', ')} />
      <Tile label="Webhooks delivered / failed" value={`${number(hooks.delivered ?? 0)} / ${number(hooks.failed ?? 0)}`}
        warn={(hooks.failed ?? 0) > 0} title={Object.entries(hooks).map(([o, n]) => `${o}: ${n}`).join(', ')} />
      <Tile label="Completion → archived, p95" value={archiveP95 === null ? '—' : `${archiveP95.toFixed(1)} s`} />
      <Tile label="Credits charged, 24 h" value={number(charged)} />
      <Tile label="Possible orphans, 24 h" value={number(orphans.total)} warn={orphans.total > 0} href="#/orphans"
        title={`${orphans.text || 'none'} (creates that may have left a resource at Runway that no app owns)`}
        testid="metric-possible-orphans" />
    </div>
  );
}

function FinishedPerHour({ metrics }) {
  const starts = periods(metrics);
  const finished = ['ARCHIVED', 'FAILED', 'CANCELLED', 'EXPIRED'];
  return (
    <div class="card">
      <h2>Tasks finished per hour, by state <span class="muted">(metrics: TasksFinished)</span></h2>
      <ChartView type="bar" label="tasks finished per hour by state" data={{
        labels: starts.map((s) => s.slice(11, 16)),
        datasets: finished.map((state) => ({
          label: state, backgroundColor: STATE_COLORS[state],
          data: pointsFor(metrics, 'TasksFinished', 'State', state, starts),
        })),
      }} options={{ scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }} />
    </div>
  );
}
