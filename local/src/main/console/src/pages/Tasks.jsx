import { useState } from 'preact/hooks';
import { get } from '../api.js';
import { Problem, StatusBadge, Updated, usePoll } from '../components.jsx';
import { STATES, number, pageSize, short, time, wireStatus } from '../format.js';

const REFRESH_MS = 2000;
const FILTERS = ['appId', 'state', 'endpoint', 'model', 'createdAfter', 'createdBefore'];
const PAGE_SIZES = [25, 50, 100];

/** datetime-local (the browser's local time) → ISO instant; '' stays ''. */
function toInstant(local) {
  if (!local) return '';
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().replace(/\.\d+Z$/, 'Z');
}

function toLocalInput(instant) {
  if (!instant) return '';
  const d = new Date(instant);
  if (Number.isNaN(d.getTime())) return '';
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** The filter form; its fields are its own state, so the list's refreshes never reset what is being typed. */
function FilterForm({ filters, limit, apps, navigate }) {
  const [fields, setFields] = useState({
    ...filters, createdAfter: toLocalInput(filters.createdAfter), createdBefore: toLocalInput(filters.createdBefore),
  });
  const bind = (name) => ({ name, value: fields[name], onInput: (e) => setFields({ ...fields, [name]: e.currentTarget.value }) });
  const submit = (e) => {
    e.preventDefault();
    const next = {};
    for (const f of FILTERS) {
      const value = String(fields[f] ?? '').trim();
      next[f] = f.startsWith('created') ? toInstant(value) : value;
    }
    navigate('/tasks', { ...next, limit: limit === PAGE_SIZES[0] ? '' : limit });
  };
  return (
    <form class="filters" onSubmit={submit}>
      <label>App
        <select {...bind('appId')} onChange={(e) => setFields({ ...fields, appId: e.currentTarget.value })}>
          <option value="">any</option>
          {apps.map((a) => <option value={a.id}>{a.name}</option>)}
        </select>
      </label>
      <label>State
        <select {...bind('state')} onChange={(e) => setFields({ ...fields, state: e.currentTarget.value })}>
          <option value="">any</option>
          {STATES.map((s) => <option value={s}>{s}</option>)}
        </select>
      </label>
      <label>Endpoint <input {...bind('endpoint')} placeholder="text_to_image" size="14" /></label>
      <label>Model <input {...bind('model')} placeholder="gen4_image" size="12" /></label>
      <label>Created after (your time zone) <input type="datetime-local" {...bind('createdAfter')} /></label>
      <label>before <input type="datetime-local" {...bind('createdBefore')} /></label>
      <button type="submit">Filter</button>
      <button type="button" class="secondary" onClick={() => navigate('/tasks', { limit: limit === PAGE_SIZES[0] ? '' : limit })}>Clear</button>
      <label>Per page
        <select name="limit" value={limit} onChange={(e) => navigate('/tasks', { ...filters, limit: e.currentTarget.value })}>
          {PAGE_SIZES.includes(limit) ? null : <option value={limit}>{limit}</option>}
          {PAGE_SIZES.map((n) => <option value={n}>{n}</option>)}
        </select>
      </label>
    </form>
  );
}

/**
 * The task list: filters and the page size in the URL (#/tasks?state=FAILED&limit=50...), one page at a time,
 * refreshed while shown.
 */
export function Tasks({ query, navigate }) {
  const filters = Object.fromEntries(FILTERS.map((f) => [f, query[f] ?? '']));
  const [cursors, setCursors] = useState([undefined]);
  const cursor = cursors[cursors.length - 1];
  const limit = pageSize(query.limit, PAGE_SIZES[0]);
  const key = JSON.stringify(filters);
  const apps = usePoll(() => get('/apps'), 0, []);
  const page = usePoll(() => get('/tasks', { ...filters, limit, cursor }), REFRESH_MS, [key, limit, cursor]);
  const names = Object.fromEntries((apps.data?.data ?? []).map((a) => [a.id, a.name]));

  return (
    <section class="page" data-page="tasks">
      <header class="page-head"><h1>Tasks</h1><Updated at={page.updatedAt} /></header>
      <FilterForm filters={filters} limit={limit} apps={apps.data?.data ?? []} navigate={navigate} />
      <Problem error={page.error} />
      <table class="tasks" data-testid="task-list" data-filters={key} data-page={cursors.length}
        data-loaded={page.data ? 'true' : 'false'}>
        <thead><tr><th>task</th><th>status</th><th>state</th><th>app</th><th>endpoint</th><th>model</th><th>created</th>
          <th class="num">credits</th><th>failure code</th></tr></thead>
        <tbody>
          {(page.data?.data ?? []).map((t) => (
            <tr data-task-id={t.id}>
              <td><a href={`#/tasks/${t.id}`}><code>{short(t.id)}</code></a></td>
              <td><StatusBadge status={wireStatus(t)} /></td>
              <td class="muted">{t.state}</td>
              <td>{names[t.appId] ?? short(t.appId)}</td>
              <td>{t.endpoint}</td>
              <td>{t.model}</td>
              <td>{time(t.createdAt)}</td>
              <td class="num">{number(t.actualCredits ?? t.estimatedCredits)}</td>
              <td>{t.failureCode ? <code class="failure-code">{t.failureCode}</code> : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {page.data && page.data.data.length === 0 && <p class="muted">No task on this page{page.data.nextCursor ? ' (filters skipped some; try the next page)' : ''}.</p>}
      <nav class="pager">
        <button type="button" class="secondary" disabled={cursors.length < 2} onClick={() => setCursors(cursors.slice(0, -1))}>Previous</button>
        <span class="muted">page {cursors.length}</span>
        <button type="button" class="secondary" data-testid="tasks-next" disabled={!page.data?.nextCursor} onClick={() => setCursors([...cursors, page.data.nextCursor])}>Next</button>
      </nav>
    </section>
  );
}
