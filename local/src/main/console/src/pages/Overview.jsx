import { allTasks, get } from '../api.js';
import { ChartView, PALETTE, Problem, STATE_COLORS, Updated, usePoll } from '../components.jsx';
import { STATES, daysAgo, number, short, time, utcDay, wireStatus } from '../format.js';

const REFRESH_MS = 5000;
const STUCK_AFTER_MINUTES = 60;

/** Everything the overview shows, read in parallel. */
async function loadOverview() {
  const now = new Date();
  const since = daysAgo(1, now).toISOString();
  const today = utcDay(now);
  const [recent, usage, apps, health] = await Promise.all([
    allTasks({ createdAfter: since }),
    get('/usage', { from: today, to: today }),
    get('/apps'),
    get('/health', { stuckAfterMinutes: STUCK_AFTER_MINUTES, oldest: 10 }),
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
  return { recent, byState, byFailure, usage, apps: apps.data, health };
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
  const { recent, byState, byFailure, usage, apps, health } = data;
  const total = recent.tasks.length;
  const failures = Object.entries(byFailure).sort((a, b) => b[1] - a[1]);
  const spent = usage.totals.apps ?? {};
  const queues = health.queues ?? {};
  return (
    <>
      <div class="tiles">
        <Tile label={`Tasks, last 24 h${recent.complete ? '' : ' (first 1,000)'}`} value={number(total)} testid="tile-tasks" />
        <Tile label="Running now" value={number((byState.ACCEPTED ?? 0) + (byState.SUBMITTED ?? 0) + (byState.OUTPUT_READY ?? 0))} />
        <Tile label="Failed, last 24 h" value={number(byState.FAILED)} warn={byState.FAILED > 0} testid="tile-failed" />
        <Tile label="Credits today (UTC)" value={number(usage.totals.credits)} />
        <Tile label={`Stuck (> ${health.stuckAfterMinutes} min)`} value={number(health.stuckTasks.count)} warn={health.stuckTasks.count > 0} testid="tile-stuck" />
        <Tile label="Poller dead letters" value={queues.pollerDeadLetters ?? 'n/a'} warn={queues.pollerDeadLetters > 0}
          title={queues.notAvailable?.pollerDeadLetters} />
        <Tile label="Stream failures" value={queues.streamFailures ?? 'n/a'} warn={queues.streamFailures > 0}
          title={queues.notAvailable?.streamFailures} />
      </div>
      <div class="grid2">
        <div class="card">
          <h2>Tasks by state, last 24 h</h2>
          <ChartView type="bar" label="tasks by state" data={{
            labels: STATES,
            datasets: [{ label: 'tasks', data: STATES.map((s) => byState[s] ?? 0), backgroundColor: STATES.map((s) => STATE_COLORS[s]) }],
          }} options={{ plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }} />
        </div>
        <div class="card" data-testid="failures">
          <h2>Failures by failure code, last 24 h</h2>
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

function Tile({ label, value, warn, title, testid }) {
  return (
    <div class={`tile${warn ? ' warn' : ''}`} title={title} data-testid={testid}>
      <div class="tile-value">{value}</div>
      <div class="tile-label">{label}</div>
    </div>
  );
}
