import {
  ArcElement, BarController, BarElement, CategoryScale, Chart, DoughnutController, Legend, LinearScale, Tooltip,
} from 'chart.js';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { answerFor } from './poll.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, DoughnutController, ArcElement, Legend, Tooltip);

export const PALETTE = ['#2f6db5', '#e07b39', '#3a9e6a', '#c0392b', '#8e5cb8', '#c9a227', '#4aa3b5', '#7f8c8d',
  '#d35490', '#5d6d7e'];

export const STATE_COLORS = {
  ACCEPTED: '#7f8c8d', SUBMITTED: '#2f6db5', OUTPUT_READY: '#4aa3b5', ARCHIVED: '#3a9e6a', FAILED: '#c0392b',
  CANCELLED: '#c9a227', EXPIRED: '#8e5cb8',
};

/**
 * Runs load() now and again every intervalMs after each answer (never two at once); a change of deps starts
 * over. Returns {data, error, updatedAt, reload}, where data, error and updatedAt are only ever those loaded for
 * the deps of this render: in the render where the deps change (before the effect below starts over) they are
 * undefined, never the previous deps' answer shown as the new one's. reload() loads again now for the latest
 * render's deps, even when called from an earlier render's closure (an action that ends after its page moved on
 * never brings its old query back), and does nothing once the component is gone (no poll outlives its page).
 */
export function usePoll(load, intervalMs, deps) {
  const [state, setState] = useState({ deps: undefined, data: undefined, error: undefined, updatedAt: undefined });
  const generation = useRef(0); // counts the effects below
  const active = useRef(0); // the generation of the effect running now; 0 once the component is gone
  const timer = useRef();
  const run = useCallback(async (mine) => {
    clearTimeout(timer.current);
    try {
      const data = await load();
      if (mine === active.current) setState({ deps, data, error: undefined, updatedAt: new Date() });
    } catch (error) {
      if (mine === active.current) setState((s) => ({ ...answerFor(s, deps), deps, error, updatedAt: new Date() }));
    }
    if (mine === active.current && intervalMs) timer.current = setTimeout(() => run(mine), intervalMs);
  }, deps); // eslint-disable-line react-hooks/exhaustive-deps
  const latest = useRef(run);
  latest.current = run;
  useEffect(() => {
    const mine = ++generation.current;
    active.current = mine;
    setState({ deps, data: undefined, error: undefined, updatedAt: undefined });
    run(mine);
    return () => {
      active.current = 0;
      clearTimeout(timer.current);
    };
  }, [run]);
  const reload = useCallback(async () => {
    if (active.current) await latest.current(active.current);
  }, []);
  return { ...answerFor(state, deps), reload };
}

/** A Chart.js chart; config is rebuilt by the caller, the chart updated in place. */
export function ChartView({ type, data, options, height = 240, label }) {
  const canvas = useRef();
  const chart = useRef();
  useEffect(() => {
    chart.current = new Chart(canvas.current, {
      type, data, options: { responsive: true, maintainAspectRatio: false, animation: false, ...options },
    });
    return () => chart.current.destroy();
  }, [type]);
  useEffect(() => {
    if (!chart.current) return;
    chart.current.data = data;
    chart.current.options = { responsive: true, maintainAspectRatio: false, animation: false, ...options };
    chart.current.update();
  }, [data, options]);
  return <div class="chart" style={{ height: `${height}px` }}><canvas ref={canvas} role="img" aria-label={label} /></div>;
}

export function StatusBadge({ status, title }) {
  return <span class={`badge badge-${String(status).toLowerCase()}`} data-status={status} title={title}>{status}</span>;
}

export function Problem({ error }) {
  if (!error) return null;
  return (
    <div class="problem" role="alert">
      <strong>{error.status ? `${error.status} ${error.problem?.title ?? ''}` : 'Error'}</strong>
      {' '}{error.message}
      {typeof error.retryAfter === 'number' && <span class="retry-after" data-testid="retry-after"> Retry after {error.retryAfter} s.</span>}
      {error.issues?.length > 0 && (
        <ul>{error.issues.map((i) => <li>{(i.path ?? []).join('.')}: {i.message} ({i.code})</li>)}</ul>
      )}
    </div>
  );
}

/** A number with its label, as the overview's tiles; warn: outlined in red; href: the whole tile is a link there. */
export function Tile({ label, value, warn, title, testid, href }) {
  const body = <><div class="tile-value">{value}</div><div class="tile-label">{label}</div></>;
  const cls = `tile${warn ? ' warn' : ''}`;
  return href
    ? <a class={cls} href={href} title={title} data-testid={testid}>{body}</a>
    : <div class={cls} title={title} data-testid={testid}>{body}</div>;
}

export function Updated({ at }) {
  return <span class="updated">{at ? `updated ${at.toLocaleTimeString('en-GB')}` : 'loading…'}</span>;
}

export function CopyButton({ text }) {
  const [done, setDone] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setDone('copied');
    } catch {
      setDone('select and copy by hand');
    }
  };
  return <button type="button" class="secondary" onClick={copy}>{done || 'Copy'}</button>;
}

/** A button that asks to be clicked a second time before it acts. */
export function ConfirmButton({ label, confirm, onConfirm, disabled, danger }) {
  const [armed, setArmed] = useState(false);
  if (!armed) return <button type="button" class={danger ? 'danger' : 'secondary'} disabled={disabled} onClick={() => setArmed(true)}>{label}</button>;
  return (
    <span class="confirm">
      <button type="button" class="danger" onClick={() => { setArmed(false); onConfirm(); }}>{confirm}</button>
      <button type="button" class="secondary" onClick={() => setArmed(false)}>Keep</button>
    </span>
  );
}
