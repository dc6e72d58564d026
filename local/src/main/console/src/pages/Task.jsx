import { useState } from 'preact/hooks';
import { get, post } from '../api.js';
import { ConfirmButton, Problem, StatusBadge, Updated, usePoll } from '../components.jsx';
import { TERMINAL, bytes, elideDataUris, number, time, wireStatus } from '../format.js';

const REFRESH_MS = 2000;

/** One task: state, outputs (previews), timeline, webhook deliveries (redeliver), storage deliveries, the request. */
export function Task({ id }) {
  const task = usePoll(() => get(`/tasks/${encodeURIComponent(id)}`), REFRESH_MS, [id]);
  const [actionError, setActionError] = useState();
  const [busy, setBusy] = useState(false);
  const act = async (action) => {
    setBusy(true);
    setActionError(undefined);
    try {
      await post(`/tasks/${encodeURIComponent(id)}/${action}`);
      await task.reload();
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(false);
    }
  };
  const t = task.data;
  return (
    <section class="page" data-page="task" data-task-id={id} data-loaded={t ? 'true' : 'false'}>
      <header class="page-head">
        <h1>Task <code>{id}</code></h1>
        <Updated at={task.updatedAt} />
      </header>
      <Problem error={task.error} />
      <Problem error={actionError} />
      {t && (
        <>
          <div class="card task-head">
            <StatusBadge status={wireStatus(t)} title={`gateway state ${t.state}`} />
            <span class="muted">state <strong data-testid="task-state">{t.state}</strong>
              {t.runwayStatus ? <> · Runway {t.runwayStatus}</> : null}
              {t.progress !== null && t.progress !== undefined && !TERMINAL.has(t.state) ? <> · {Math.round(t.progress * 100)} %</> : null}
            </span>
            {t.failureCode && <span class="failure">failure code <code class="failure-code" data-testid="failure-code">{t.failureCode}</code></span>}
            {!TERMINAL.has(t.state) && <ConfirmButton label="Cancel task" confirm="Cancel it at Runway" disabled={busy} danger onConfirm={() => act('cancel')} />}
          </div>
          {t.failure && <p class="problem">{t.failure}</p>}
          <dl class="facts">
            <dt>app</dt><dd><code>{t.appId}</code></dd>
            <dt>endpoint / model</dt><dd>{t.endpoint} / {t.model}</dd>
            <dt>created</dt><dd>{time(t.createdAt)}</dd>
            <dt>updated</dt><dd>{time(t.updatedAt)}</dd>
            <dt>deadline</dt><dd>{time(t.deadline)}</dd>
            <dt>credits</dt><dd>estimated {number(t.estimatedCredits)}, actual {number(t.actualCredits)}
              {t.possibleOrphanCredits ? `, possible orphan ${number(t.possibleOrphanCredits)}` : ''}</dd>
            <dt>Runway task</dt><dd><code>{t.runwayTaskId ?? '—'}</code></dd>
            <dt>idempotency key</dt><dd>{t.idempotencyKey ?? '—'}</dd>
            <dt>callback</dt><dd>{t.callbackUrl ?? '—'}</dd>
            {t.stateReason && <><dt>reason</dt><dd>{t.stateReason}</dd></>}
          </dl>
          <Outputs archive={t.archive ?? []} />
          <Timeline task={t} />
          <Webhook task={t} busy={busy} onRedeliver={() => act('redeliver')} />
          <Deliveries task={t} />
          <div class="card">
            <h2>Request <span class="muted">(as forwarded to Runway; data URIs elided)</span></h2>
            <pre class="json" data-testid="request">{JSON.stringify(elideDataUris(t.request ?? {}), null, 2)}</pre>
            {t.metadata && Object.keys(t.metadata).length > 0 && (
              <><h3>Metadata</h3><pre class="json">{JSON.stringify(t.metadata, null, 2)}</pre></>
            )}
          </div>
        </>
      )}
    </section>
  );
}

function Outputs({ archive }) {
  return (
    <div class="card">
      <h2>Outputs</h2>
      {archive.length === 0 ? <p class="muted">None archived (yet).</p> : (
        <div class="outputs">
          {archive.map((o, i) => (
            <figure class="output" data-testid="output">
              <Preview output={o} index={i} />
              <figcaption>
                <a href={o.url} target="_blank" rel="noopener noreferrer">output {i + 1}</a>
                {' '}<span class="muted">{o.contentType} · {bytes(o.size)} · link valid until {time(o.urlExpiresAt)}</span>
                <div class="muted small"><code>{o.key}</code></div>
              </figcaption>
            </figure>
          ))}
        </div>
      )}
    </div>
  );
}

function Preview({ output, index }) {
  const type = output.contentType ?? '';
  if (type.startsWith('image/')) return <img src={output.url} alt={`output ${index + 1}`} data-testid="preview-image" />;
  if (type.startsWith('video/')) return <video src={output.url} controls preload="metadata" data-testid="preview-video" />;
  if (type.startsWith('audio/')) return <audio src={output.url} controls preload="metadata" data-testid="preview-audio" />;
  return <p class="muted">No preview for {type || 'an unknown type'}.</p>;
}

/** States, Runway attempts and webhook deliveries, in time order. */
function Timeline({ task }) {
  const events = [];
  for (const h of task.history ?? []) {
    events.push({ at: h.at, kind: 'state', text: h.state, detail: h.reason });
  }
  for (const a of task.attempts ?? []) {
    events.push({
      at: a.startedAt, kind: 'attempt', text: `Runway create #${a.number}`,
      detail: [a.outcome, a.failureCode, a.runwayTaskId && `task ${a.runwayTaskId}`, a.failure].filter(Boolean).join(' · '),
    });
  }
  for (const [i, d] of (task.webhook?.attempts ?? []).entries()) {
    events.push({
      at: d.at, kind: 'webhook', text: `webhook delivery #${i + 1}`,
      detail: [d.httpStatus ? `HTTP ${d.httpStatus}` : 'no answer', d.error].filter(Boolean).join(' · '),
    });
  }
  events.sort((a, b) => String(a.at).localeCompare(String(b.at)));
  return (
    <div class="card">
      <h2>Timeline</h2>
      <ol class="timeline" data-testid="timeline">
        {events.map((e) => (
          <li class={`event event-${e.kind}`}>
            <time>{time(e.at)}</time> <strong>{e.text}</strong>{e.detail ? <span class="muted"> — {e.detail}</span> : null}
          </li>
        ))}
      </ol>
    </div>
  );
}

function Webhook({ task, busy, onRedeliver }) {
  const w = task.webhook;
  return (
    <div class="card" data-testid="webhook">
      <h2>Webhook</h2>
      {!w ? <p class="muted">No callback URL: no webhook is sent for this task.</p> : (
        <>
          <p>
            <code>{w.id}</code> · {w.eventType} · sequence {w.sequence} · status <strong data-testid="webhook-status">{w.status}</strong>
            {w.nextAt ? <> · next attempt {time(w.nextAt)}</> : null}
          </p>
          <table class="compact" data-testid="deliveries">
            <thead><tr><th>#</th><th>at</th><th>HTTP status</th><th>error</th></tr></thead>
            <tbody>{(w.attempts ?? []).map((d, i) => (
              <tr class="delivery"><td>{i + 1}</td><td>{time(d.at)}</td>
                <td><span class={`http ${d.httpStatus >= 200 && d.httpStatus < 300 ? 'ok' : 'bad'}`}>{d.httpStatus || 'no answer'}</span></td>
                <td>{d.error ?? ''}</td></tr>
            ))}</tbody>
          </table>
          <button type="button" disabled={busy || !TERMINAL.has(task.state)} onClick={onRedeliver}
            title={TERMINAL.has(task.state) ? 'send the webhook again, with the same webhook-id' : 'the task has not ended'}>Redeliver</button>
        </>
      )}
    </div>
  );
}

/** relay.deliverTo: where the outputs go (URLs without their query, which is the app's credential) and each outcome. */
function Deliveries({ task }) {
  const target = task.deliverTo;
  if (!target) return null;
  const deliveries = task.deliveries ?? [];
  const urls = target.template ? [target.template] : (target.urls ?? []);
  return (
    <div class="card" data-testid="storage-deliveries">
      <h2>Delivery to the app's storage</h2>
      <p class="muted small">
        {target.template ? 'template ' : ''}{urls.map((u) => <code class="delivery-url">{u}</code>)}
        {target.queryOmitted ? ' (query omitted: it holds the app\'s signature)' : ''}
      </p>
      {deliveries.length === 0 ? <p class="muted">Not delivered yet: the outputs go once they are archived.</p> : (
        <table class="compact">
          <thead><tr><th>output</th><th>outcome</th><th>HTTP status</th><th>bytes</th><th>sha256</th><th>attempts</th><th>at</th><th>error</th></tr></thead>
          <tbody>{deliveries.map((d) => (
            <tr class="storage-delivery" data-outcome={d.outcome}>
              <td>{d.index + 1}</td>
              <td><strong data-testid="storage-outcome">{d.outcome}</strong></td>
              <td><span class={`http ${d.httpStatus >= 200 && d.httpStatus < 300 ? 'ok' : 'bad'}`}>{d.httpStatus || 'no answer'}</span></td>
              <td>{bytes(d.bytes)}</td>
              <td>{d.sha256 ? <code title={d.sha256}>{d.sha256.slice(0, 12)}…</code> : '—'}</td>
              <td>{d.attempts}</td>
              <td>{time(d.at)}</td>
              <td>{d.error ?? ''}</td>
            </tr>
          ))}</tbody>
        </table>
      )}
    </div>
  );
}
