import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { adoptToken } from './api.js';
import { Apps } from './pages/Apps.jsx';
import { Orphans } from './pages/Orphans.jsx';
import { Overview } from './pages/Overview.jsx';
import { Task } from './pages/Task.jsx';
import { Tasks } from './pages/Tasks.jsx';
import { Usage } from './pages/Usage.jsx';

/** The route in the URL's fragment: #/tasks?state=FAILED → {path: '/tasks', query: {state: 'FAILED'}}. */
function route() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, qs] = hash.split('?');
  return { path, query: Object.fromEntries(new URLSearchParams(qs ?? '')) };
}

function navigate(path, query = {}) {
  const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== '')).toString();
  location.hash = `#${path}${qs ? `?${qs}` : ''}`;
}

const NAV = [['/', 'Overview'], ['/tasks', 'Tasks'], ['/apps', 'Apps'], ['/usage', 'Usage'], ['/orphans', 'Orphans']];

function App({ token }) {
  const [current, setCurrent] = useState(route());
  useEffect(() => {
    const changed = () => setCurrent(route());
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  if (!token) {
    return (
      <main class="page"><h1>runway-relay console</h1>
        <p class="problem">Open the console with the link <code>./relay console</code> printed: it carries this run's token,
          without which the console refuses every admin call.</p></main>
    );
  }
  const { path, query } = current;
  let page;
  if (path === '/' || path === '/overview') page = <Overview navigate={navigate} />;
  else if (path === '/tasks') page = <Tasks key={JSON.stringify(query)} query={query} navigate={navigate} />;
  else if (path.startsWith('/tasks/')) page = <Task key={path} id={decodeURIComponent(path.slice('/tasks/'.length))} />;
  else if (path === '/apps') page = <Apps />;
  else if (path === '/usage') page = <Usage />;
  else if (path === '/orphans') page = <Orphans key={JSON.stringify(query)} query={query} navigate={navigate} />;
  else page = <section class="page"><h1>Not found</h1><p>No page {path}.</p></section>;
  const section = path.startsWith('/tasks') ? '/tasks' : path === '/overview' ? '/' : path;
  return (
    <>
      <nav class="top">
        <span class="brand">runway-relay</span>
        {NAV.map(([to, label]) => <a href={`#${to}`} class={section === to ? 'active' : ''} data-nav={label.toLowerCase()}>{label}</a>)}
      </nav>
      <main>{page}</main>
    </>
  );
}

render(<App token={adoptToken()} />, document.getElementById('app'));
