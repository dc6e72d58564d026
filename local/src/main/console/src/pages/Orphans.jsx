import { useState } from 'preact/hooks';
import { del, get, post } from '../api.js';
import { ConfirmButton, Problem, Tile, Updated, usePoll } from '../components.jsx';
import { number, short, time } from '../format.js';
import { ORPHAN_KINDS, PAGE_SIZES, actionHint, likelyApp, orphanQuery, reasonText, scanSummary, settlingCount } from '../orphans.js';

/**
 * Orphans (#/orphans?kind=documents&limit=50): resources at Runway that no current app owns, one page of Runway's
 * list per scan (each scan asks Runway, so it is never polled); assign one to an app, or delete it at Runway.
 */
export function Orphans({ query, navigate }) {
  const { kind, limit, problem } = orphanQuery(query);
  const [cursors, setCursors] = useState([undefined]);
  const [notice, setNotice] = useState();
  const cursor = cursors[cursors.length - 1];
  const apps = usePoll(() => get('/apps'), 0, []);
  // usePoll shows an answer only under the deps it was loaded for: on "Next page", page 1's answer is never shown
  // under page 2's number (the frame before the poll starts over shows "Scanning…").
  const scan = usePoll(() => (problem ? Promise.resolve(undefined) : get(`/orphans/${kind}`, { limit, cursor })), 0,
    [kind, limit, cursor]);
  const page = scan.data;
  const go = (changes) => navigate('/orphans', { kind, limit, ...changes });
  /** After an assign or delete: this page scanned again (the row leaves it), then what was done. */
  const done = async (message) => {
    await scan.reload();
    setNotice(message);
  };
  return (
    <section class="page" data-page="orphans">
      <header class="page-head"><h1>Orphans</h1><Updated at={scan.updatedAt} /></header>
      <p class="muted">Resources at Runway that no current app owns: created for an app whose record was never written
        (<code>no-owner</code>), or left by a deleted app (<code>app-deleted</code>). Each scan reads one page of Runway's
        list of the kind.</p>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>Kind
          <select name="kind" value={kind} onChange={(e) => go({ kind: e.currentTarget.value })}>
            {ORPHAN_KINDS.map((k) => <option value={k}>{k}</option>)}
          </select>
        </label>
        <label>Examined per page
          <select name="limit" value={limit} onChange={(e) => go({ limit: e.currentTarget.value })}>
            {PAGE_SIZES.includes(limit) ? null : <option value={limit}>{limit}</option>}
            {PAGE_SIZES.map((n) => <option value={n}>{n}</option>)}
          </select>
        </label>
        <button type="button" class="secondary" disabled={Boolean(problem)} onClick={() => {
          setNotice(undefined);
          if (cursors.length > 1) setCursors([undefined]);
          else scan.reload();
        }}>Scan from the start</button>
      </form>
      {problem && <p class="problem" role="alert" data-testid="orphan-kind-problem">{problem}</p>}
      <Problem error={scan.error} />
      {notice && <p class="notice" role="status" data-testid="orphan-notice">{notice}</p>}
      {page && <ScanPage page={page} pageNumber={cursors.length} limit={limit} apps={apps} onDone={done} />}
      {!page && !scan.error && !problem && <p class="muted" data-testid="orphans-scanning">Scanning…</p>}
      <nav class="pager">
        <button type="button" class="secondary" disabled={cursors.length < 2} onClick={() => {
          setNotice(undefined);
          setCursors(cursors.slice(0, -1));
        }}>Previous page</button>
        <span class="muted">page {cursors.length}</span>
        <button type="button" class="secondary" data-testid="orphans-next" disabled={!page?.nextCursor} onClick={() => {
          setNotice(undefined);
          setCursors([...cursors, page.nextCursor]);
        }}>Next page</button>
      </nav>
    </section>
  );
}

function ScanPage({ page, pageNumber, limit, apps, onDone }) {
  const summary = scanSummary(page);
  const settling = settlingCount(page);
  const appList = apps.data?.data ?? [];
  const names = Object.fromEntries(appList.map((a) => [a.id, a.name]));
  return (
    <>
      <div class="tiles">
        <Tile label={`${page.kind} examined on page ${pageNumber}`} value={number(page.examined ?? 0)} testid="orphans-examined" />
        <Tile label="orphans on this page" value={number(page.data.length)} warn={page.data.length > 0} testid="orphans-found" />
        <Tile label="too recent to judge (settling)" value={number(settling)} testid="orphans-settling" />
      </div>
      <p class={`scan-summary scan-${summary.state}`} data-testid="scan-summary" data-state={summary.state} data-page={pageNumber}
        data-limit={limit}>
        {summary.text}</p>
      <Problem error={apps.error} />
      {page.data.length > 0 && (
        <table class="orphans" data-testid="orphan-list" data-kind={page.kind}>
          <thead><tr><th>id</th><th>name</th><th>created</th><th>reason</th><th>former app</th><th></th></tr></thead>
          <tbody>{page.data.map((orphan) => (
            <OrphanRow key={orphan.id} orphan={orphan} apps={appList} names={names} onDone={onDone} />
          ))}</tbody>
        </table>
      )}
    </>
  );
}

function OrphanRow({ orphan, apps, names, onDone }) {
  const [assigning, setAssigning] = useState(false);
  const [appId, setAppId] = useState('');
  const [error, setError] = useState();
  const [busy, setBusy] = useState(false);
  const path = `/orphans/${orphan.kind}/${encodeURIComponent(orphan.id)}`;
  const what = `${orphan.kind} ${orphan.id}${orphan.name ? ` (${orphan.name})` : ''}`;
  const act = async (work) => {
    setBusy(true);
    setError(undefined);
    try {
      const message = await work();
      setAssigning(false);
      await onDone(message);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const assign = () => act(async () => {
    const assigned = await post(`${path}/assign`, { appId });
    return `Assigned ${what} to app ${names[assigned.appId] ?? assigned.appId}.`;
  });
  const remove = () => act(async () => {
    const deleted = await del(path);
    return `Deleted ${what} at Runway${deleted.formerAppId ? `, with deleted app ${deleted.formerAppId}'s record of it` : ''}.`;
  });
  const hint = error && actionHint(error);
  const likely = likelyApp(orphan);
  return (
    <>
      <tr data-orphan-id={orphan.id} data-reason={orphan.reason}>
        <td><code title={orphan.id}>{orphan.id}</code></td>
        <td>{orphan.name ?? <span class="muted">—</span>}</td>
        <td>{time(orphan.createdAt)}</td>
        <td><span class={`badge badge-${orphan.reason}`} title={orphan.reason}>{reasonText(orphan)}</span>
          {likely && <div class="muted" data-likely-app={likely.appId} title={likely.title}>
            likely <code>{short(likely.appId)}</code></div>}</td>
        <td>{orphan.formerAppId ? <code title={orphan.formerAppId}>{short(orphan.formerAppId)}</code> : <span class="muted">—</span>}</td>
        <td><div class="actions">
          <button type="button" class="secondary" disabled={busy} onClick={() => setAssigning(!assigning)}>
            {assigning ? 'Close' : 'Assign to app'}</button>
          <ConfirmButton label="Delete at Runway" confirm="Delete at Runway: this cannot be undone" danger disabled={busy}
            onConfirm={remove} />
        </div></td>
      </tr>
      {(assigning || error) && (
        <tr class="editor" data-orphan-actions={orphan.id}><td colSpan="6">
          {assigning && (
            <form class="assign" aria-label={`Assign ${orphan.id}`} onSubmit={(e) => { e.preventDefault(); assign(); }}>
              <label>App
                <select name="appId" value={appId} onChange={(e) => setAppId(e.currentTarget.value)}>
                  <option value="">choose an app…</option>
                  {apps.map((a) => <option value={a.id}>{a.name} ({short(a.id)}){a.disabled ? ', disabled' : ''}</option>)}
                </select>
              </label>
              <button type="submit" disabled={busy || !appId}>Assign</button>
              <span class="muted">The app then owns it as if it had created it.</span>
            </form>
          )}
          {error && (
            <div data-testid="orphan-problem" data-status={error.status}>
              <Problem error={error} />
              {hint && <p class="muted">{hint}</p>}
            </div>
          )}
        </td></tr>
      )}
    </>
  );
}
