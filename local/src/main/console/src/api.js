// The admin API through the console's proxy (same origin): every call carries this run's token, which the
// console printed in the URL's fragment and the page keeps in sessionStorage (per tab, per origin).
import { retryAfterSeconds } from './format.js';

const TOKEN_KEY = 'relay-console-token';

/** Takes the token out of the URL (#token=...) into sessionStorage; returns the token, or null. */
export function adoptToken() {
  const match = /^#token=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem(TOKEN_KEY, match[1]);
    history.replaceState(null, '', `${location.pathname}#/`);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

/** An answer that was not 2xx: the problem document's status, title, detail and issues, and its retry-after (s). */
export class ApiError extends Error {
  constructor(status, problem, retryAfter = null) {
    super(problem?.detail || problem?.message || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
    this.retryAfter = retryAfter;
  }

  get issues() {
    return this.problem.issues ?? [];
  }
}

/** Calls /admin/v1{path}; query: an object (null/undefined/'' values left out); body: an object or undefined. */
export async function api(method, path, { query, body } = {}) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const qs = params.toString();
  const headers = { 'X-Console-Token': sessionStorage.getItem(TOKEN_KEY) ?? '', accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`/admin/v1${path}${qs ? `?${qs}` : ''}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store',
  });
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = { detail: text.slice(0, 300) };
  }
  if (!response.ok) throw new ApiError(response.status, json, retryAfterSeconds(response.headers?.get('retry-after')));
  return json;
}

export const get = (path, query) => api('GET', path, { query });
export const post = (path, body) => api('POST', path, { body });
export const patch = (path, body) => api('PATCH', path, { body });
export const del = (path) => api('DELETE', path);

/** Every page of a task list (following nextCursor), at most maxPages pages; {tasks, complete}. */
export async function allTasks(query, maxPages = 10) {
  const tasks = [];
  let cursor;
  for (let page = 0; page < maxPages; page++) {
    const answer = await get('/tasks', { ...query, limit: 100, cursor });
    tasks.push(...answer.data);
    cursor = answer.nextCursor;
    if (!cursor) return { tasks, complete: true };
  }
  return { tasks, complete: false };
}
