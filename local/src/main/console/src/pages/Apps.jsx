import { useState } from 'preact/hooks';
import { get, patch, post } from '../api.js';
import { ConfirmButton, CopyButton, Problem, Updated, usePoll } from '../components.jsx';
import { number, time } from '../format.js';

const list = (text) => text.split(',').map((s) => s.trim()).filter(Boolean);

/** The settings both create and edit take, from the form's fields (only non-empty numbers are sent). */
function settings(fields) {
  const body = {};
  if (fields.name.trim()) body.name = fields.name.trim();
  if (String(fields.dailyCreditBudget).trim() !== '') body.dailyCreditBudget = Number(fields.dailyCreditBudget);
  if (String(fields.maxActiveTasks).trim() !== '') body.maxActiveTasks = Number(fields.maxActiveTasks);
  body.allowedEndpoints = list(fields.allowedEndpoints);
  body.allowedModels = list(fields.allowedModels);
  body.defaultCallbackUrl = fields.defaultCallbackUrl.trim() || null;
  body.ambiguousCreates = fields.ambiguousCreates;
  return body;
}

function fieldsOf(app) {
  return {
    name: app?.name ?? '', dailyCreditBudget: app?.dailyCreditBudget ?? '', maxActiveTasks: app?.maxActiveTasks ?? '',
    allowedEndpoints: (app?.allowedEndpoints ?? []).join(', '), allowedModels: (app?.allowedModels ?? []).join(', '),
    defaultCallbackUrl: app?.defaultCallbackUrl ?? '', ambiguousCreates: app?.ambiguousCreates ?? 'fail',
  };
}

/** Apps: create (the key shown once), edit, rotate, disable/enable. */
export function Apps() {
  const apps = usePoll(() => get('/apps'), 10_000, []);
  const [secret, setSecret] = useState();
  const [editing, setEditing] = useState();
  return (
    <section class="page" data-page="apps">
      <header class="page-head"><h1>Apps</h1><Updated at={apps.updatedAt} /></header>
      <Problem error={apps.error} />
      {secret && <NewKey secret={secret} onDone={() => setSecret(undefined)} />}
      <AppForm title="Create an app" submitLabel="Create app" initial={fieldsOf(null)} onSubmit={async (fields) => {
        const body = settings(fields);
        if (body.defaultCallbackUrl === null) delete body.defaultCallbackUrl;
        const created = await post('/apps', body);
        setSecret({ what: `App ${created.name} created`, app: created });
        await apps.reload();
        return true;
      }} />
      <table class="apps" data-testid="app-list">
        <thead><tr><th>name</th><th>id</th><th class="num">daily budget</th><th class="num">max active</th>
          <th>endpoints</th><th>models</th><th>keys</th><th>created</th><th></th></tr></thead>
        <tbody>{(apps.data?.data ?? []).map((app) => (
          <>
            <tr data-app-id={app.id} data-app-name={app.name} class={app.disabled ? 'disabled' : ''}>
              <td><strong>{app.name}</strong>{app.disabled && <span class="badge badge-disabled">disabled</span>}</td>
              <td><code>{app.id}</code></td>
              <td class="num">{number(app.dailyCreditBudget)}</td>
              <td class="num">{number(app.maxActiveTasks)}</td>
              <td>{app.allowedEndpoints.length ? app.allowedEndpoints.join(', ') : <span class="muted">all</span>}</td>
              <td>{app.allowedModels.length ? app.allowedModels.join(', ') : <span class="muted">all</span>}</td>
              <td>{app.keys}</td>
              <td>{time(app.createdAt)}</td>
              <td><div class="actions">
                <a href={`#/tasks?appId=${app.id}`}>tasks</a>
                <button type="button" class="secondary" onClick={() => setEditing(editing === app.id ? undefined : app.id)}>
                  {editing === app.id ? 'Close' : 'Edit'}</button>
              </div></td>
            </tr>
            {editing === app.id && (
              <tr class="editor"><td colSpan="9">
                <AppActions app={app} onSecret={setSecret} reload={apps.reload} />
                <AppForm title={`Edit ${app.name}`} submitLabel="Save changes" initial={fieldsOf(app)} onSubmit={async (fields) => {
                  const wanted = settings(fields);
                  const current = settings(fieldsOf(app));
                  const changed = Object.fromEntries(Object.entries(wanted)
                    .filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(current[k])));
                  if (Object.keys(changed).length) await patch(`/apps/${app.id}`, changed);
                  await apps.reload();
                  return false;
                }} />
              </td></tr>
            )}
          </>
        ))}</tbody>
      </table>
    </section>
  );
}

function AppActions({ app, onSecret, reload }) {
  const [error, setError] = useState();
  const run = async (work) => {
    setError(undefined);
    try {
      await work();
      await reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div class="app-actions">
      <ConfirmButton label="Rotate key" confirm="Rotate: the old key stops working now" onConfirm={() => run(async () => {
        const rotated = await post(`/apps/${app.id}/rotate`, {});
        onSecret({ what: `Key of ${app.name} rotated (${rotated.revokedKeys} revoked)`, app: rotated });
      })} />
      {app.disabled
        ? <button type="button" class="secondary" onClick={() => run(() => post(`/apps/${app.id}/enable`))}>Enable</button>
        : <ConfirmButton label="Disable" confirm="Disable: refuse its keys" danger onConfirm={() => run(() => post(`/apps/${app.id}/disable`))} />}
      <Problem error={error} />
    </div>
  );
}

/** The key and webhook secret of a create or rotate: shown here once, never again. */
function NewKey({ secret, onDone }) {
  const { app } = secret;
  return (
    <div class="card new-key" data-testid="new-key" role="status">
      <h2>{secret.what}</h2>
      <p>This key is shown <strong>once</strong>; only its hash is stored. Copy it now.</p>
      <p class="secret"><code data-testid="new-key-value">{app.key}</code> <CopyButton text={app.key} /></p>
      <p class="muted">Webhook signing secret: <code data-testid="new-webhook-secret">{app.webhookSecret}</code></p>
      {app.oldWebhookSecretsSignUntil && <p class="muted">The old webhook secret keeps signing until {time(app.oldWebhookSecretsSignUntil)}.</p>}
      <button type="button" class="secondary" onClick={onDone}>I have copied it</button>
    </div>
  );
}

function AppForm({ title, submitLabel, initial, onSubmit }) {
  const [fields, setFields] = useState(initial);
  const [error, setError] = useState();
  const [busy, setBusy] = useState(false);
  const bind = (name) => ({ name, value: fields[name], onInput: (e) => setFields({ ...fields, [name]: e.currentTarget.value }) });
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      if (await onSubmit(fields)) setFields(initial);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card app-form" onSubmit={submit} aria-label={title}>
      <h2>{title}</h2>
      <div class="form-grid">
        <label>Name <input {...bind('name')} required={submitLabel === 'Create app'} maxLength="100" /></label>
        <label>Daily credit budget <input type="number" min="0" {...bind('dailyCreditBudget')} placeholder="1000" /></label>
        <label>Max active tasks <input type="number" min="1" {...bind('maxActiveTasks')} placeholder="10" /></label>
        <label>Allowed endpoints <input {...bind('allowedEndpoints')} placeholder="all (or text_to_image, ...)" /></label>
        <label>Allowed models <input {...bind('allowedModels')} placeholder="all (or gen4_image, ...)" /></label>
        <label>Default callback URL <input type="url" {...bind('defaultCallbackUrl')} placeholder="none" /></label>
        <label>Ambiguous creates
          <select {...bind('ambiguousCreates')} onChange={(e) => setFields({ ...fields, ambiguousCreates: e.currentTarget.value })}>
            <option value="fail">fail</option><option value="retry-once">retry-once</option>
          </select>
        </label>
      </div>
      <Problem error={error} />
      <button type="submit" disabled={busy}>{submitLabel}</button>
    </form>
  );
}
