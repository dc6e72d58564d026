// The console's end-to-end test in headless Chromium (playwright-core, the machine's own browser), run by
// ConsoleBrowserIT with:
//   CONSOLE_URL     the URL ./relay console prints (with its token)
//   API_URL         the local stack's API, for the official SDK
//   SDK_DIR         where OfficialNodeSdk installed @runwayml/sdk and console-submit.mjs
//   WEBHOOK_URL     a receiver on loopback that answers 204
//   STORAGE_URL     a storage on loopback for relay.deliverTo: PUT to …/ok/… answers 200, to …/expired/… 403
//   CHROMIUM        the browser's executable
//   SCREENSHOT_DIR  where each page's screenshot goes
//   ORPHANS         a deleted app's documents, as JSON: {keeperId, handedOver, discarded, contested} (the keeper app
//                   owns a fourth document, the newest)
// Every wait is for a condition (generous deadlines only guard against hangs); any JavaScript error or console
// error in the page fails the run. Prints one JSON summary line; exits 0 when every check passed.
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const CONSOLE_URL = env('CONSOLE_URL');
const API_URL = env('API_URL');
const SDK_DIR = env('SDK_DIR');
const WEBHOOK_URL = env('WEBHOOK_URL');
const STORAGE_URL = env('STORAGE_URL');
const SHOTS = env('SCREENSHOT_DIR');
const ORPHANS = JSON.parse(env('ORPHANS'));
const HANG_GUARD = 120_000;
mkdirSync(SHOTS, { recursive: true });

const checks = {};
const pageErrors = [];
const run = promisify(execFile);

/** Runs console-submit.mjs with the official SDK and a key; its JSON line. */
async function sdk(key, ...args) {
  const { stdout } = await run('node', ['console-submit.mjs', ...args], {
    cwd: SDK_DIR, timeout: HANG_GUARD,
    env: { ...process.env, RUNWAYML_BASE_URL: API_URL, RUNWAYML_API_SECRET: key },
  });
  return JSON.parse(stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop());
}

const browser = await chromium.launch({
  executablePath: env('CHROMIUM'),
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync'],
});
let failed;
try {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(HANG_GUARD);
  page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
  // URLs a step makes the API refuse on purpose: the browser logs their "Failed to load resource" as an error
  const refusedOnPurpose = new Set();
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const url = m.location()?.url ?? '';
    if (refusedOnPurpose.has(url) && m.text().startsWith('Failed to load resource')) return;
    pageErrors.push(`console.error: ${m.text()} (${url})`);
  });
  let loads = 0;
  page.on('load', () => loads++);
  /**
   * Holds the answers of the requests `matches` picks until release() is called, and meanwhile looks at the page after
   * every DOM change: stale() (run in the page, with `arg`) names what a frame shows that can only come from an earlier
   * answer (every answer the new state needs is held). frames(): the distinct findings, after which the watch stops.
   */
  const holdAndWatch = async (matches, stale, arg) => {
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    const continued = [];
    const handler = (route) => {
      const going = held.then(() => route.continue())
        .catch((e) => pageErrors.push(`held ${route.request().url()}: ${e.message}`));
      continued.push(going);
      return going;
    };
    await page.route(matches, handler);
    const install = (look, arg) => {
      window.staleFrames = [];
      window.staleObserver = new MutationObserver(() => {
        const found = look(arg);
        if (found && !window.staleFrames.includes(found)) window.staleFrames.push(found);
      });
      window.staleObserver.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    };
    // one expression, so that stale() travels as source (the page's content security policy forbids eval in it)
    await page.evaluate(`(${install})(${stale}, ${JSON.stringify(arg ?? null)})`);
    return {
      frames: () => page.evaluate(() => {
        window.staleObserver.disconnect();
        return window.staleFrames;
      }),
      release: async () => {
        release();
        await Promise.all(continued); // every held request on its way before the route goes
        await page.unroute(matches, handler);
      },
    };
  };
  const shot = (name) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const noErrors = (step) => {
    if (pageErrors.length) throw new Error(`browser errors by ${step}: ${pageErrors.join(' | ')}`);
  };

  // Overview
  await page.goto(CONSOLE_URL);
  await page.locator('[data-page=overview] [data-testid=tile-tasks]').waitFor();
  await page.locator('[data-testid=budgets] tbody tr').first().waitFor();
  checks.tokenLeftTheUrl = !page.url().includes('token=');
  if (!checks.tokenLeftTheUrl) throw new Error(`the token stayed in the address bar: ${page.url()}`);
  noErrors('overview');

  // Apps: create one; its key is shown once
  await page.click('[data-nav=apps]');
  const create = page.locator('form[aria-label="Create an app"]');
  await create.locator('input[name=name]').fill('storyboard');
  await create.locator('input[name=dailyCreditBudget]').fill('500');
  await create.locator('input[name=defaultCallbackUrl]').fill(WEBHOOK_URL);
  await create.locator('button[type=submit]').click();
  const keyCell = page.locator('[data-testid=new-key-value]');
  await keyCell.waitFor();
  const key = (await keyCell.textContent()).trim();
  const appRow = page.locator('tr[data-app-name=storyboard]');
  await appRow.waitFor();
  const appId = await appRow.getAttribute('data-app-id');
  checks.appCreated = { appId, keyShown: key.length > 20 };
  await shot('apps');
  noErrors('create app');

  // A task through the official SDK, with the new key; the list shows it turn SUCCEEDED without a reload
  const ok = await sdk(key, 'create', 'A lighthouse at dusk');
  await page.click('[data-nav=tasks]');
  const row = page.locator(`tr[data-task-id="${ok.id}"]`);
  await row.waitFor();
  const loadsBefore = loads;
  await row.locator('[data-status=SUCCEEDED]').waitFor({ timeout: HANG_GUARD });
  checks.succeededWithoutReload = loads === loadsBefore;
  if (!checks.succeededWithoutReload) throw new Error('the page was reloaded while waiting');
  await shot('tasks');

  // Its page: the image preview has loaded
  await row.locator('a').first().click();
  await page.locator('[data-page=task] [data-testid=task-state]', { hasText: 'ARCHIVED' }).waitFor();
  const image = page.locator('[data-testid=preview-image]').first();
  await image.waitFor();
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await image.elementHandle(), { timeout: HANG_GUARD });
  checks.previewNaturalWidth = await image.evaluate((el) => el.naturalWidth);
  noErrors('task page');

  // Its webhook was delivered; redeliver it and see the new attempt
  const deliveries = page.locator('[data-testid=deliveries] tr.delivery');
  await page.locator('[data-testid=webhook-status]', { hasText: /^(delivered|DELIVERED)$/ }).waitFor();
  const before = await deliveries.count();
  await page.click('[data-testid=webhook] button:has-text("Redeliver")');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=deliveries] tr.delivery').length > n, before,
    { timeout: HANG_GUARD });
  const newest = deliveries.nth(before);
  checks.redelivered = { before, after: await deliveries.count(), httpStatus: (await newest.locator('.http').textContent()).trim() };
  if (checks.redelivered.httpStatus !== '204') throw new Error(`the redelivery answered ${checks.redelivered.httpStatus}`);
  await shot('task');

  // A failed task shows its failure code
  const bad = await sdk(key, 'create', 'A lighthouse at dusk [fail:SAFETY.INPUT.TEXT]');
  await page.goto(`${new URL(CONSOLE_URL).origin}/#/tasks/${bad.id}`);
  await page.locator('[data-testid=failure-code]', { hasText: 'SAFETY.INPUT.TEXT' }).waitFor();
  checks.failureCodeShown = 'SAFETY.INPUT.TEXT';
  await shot('task-failed');
  await page.click('[data-nav=overview]');
  await page.locator('[data-testid=failures] code', { hasText: 'SAFETY.INPUT.TEXT' }).waitFor();
  // the metric tiles (GET /admin/v1/metrics): both submits counted
  await page.waitForFunction(() => {
    const tile = document.querySelector('[data-testid=metric-submits-accepted] .tile-value');
    return tile && Number(tile.textContent.replace(/,/g, '')) >= 2;
  }, null, { timeout: HANG_GUARD });
  checks.metricTiles = await page.locator('[data-testid=metric-tiles] .tile').count();
  await shot('overview');
  noErrors('failed task');

  // Health tiles: the local stack has no poller dead-letter queue (not checked, no warning); a queue whose read
  // failed (the report as a deployed stack would answer it when SQS refuses the read) is shown as unknown with why
  const dlqTile = page.locator('[data-testid=tile-poller-dead-letters]');
  checks.health = { pollerDeadLetters: await dlqTile.getAttribute('data-status'), pollerDeadLettersWarn: await dlqTile.evaluate(
    (el) => el.classList.contains('warn') || el.classList.contains('unknown')) };
  const origin = new URL(CONSOLE_URL).origin;
  const isHealth = (url) => url.pathname === '/admin/v1/health';
  await page.route(isHealth, async (route) => {
    const response = await route.fetch();
    const report = await response.json();
    report.queues.streamFailures = null;
    report.queues.notAvailable = { ...report.queues.notAvailable, streamFailures: 'could not read the queue: the test refused it' };
    report.failedChecks = ['queues.streamFailures'];
    await route.fulfill({ response, json: report });
  });
  await page.click('[data-nav=tasks]');
  await page.click('[data-nav=overview]');
  const failedTile = page.locator('[data-testid=tile-stream-failures][data-status=unknown]');
  await failedTile.waitFor();
  checks.health.failedCheck = {
    value: (await failedTile.locator('.tile-value').textContent()).trim(),
    reason: (await failedTile.locator('[data-testid=tile-stream-failures-reason]').textContent()).trim(),
    pollerDeadLetters: await dlqTile.getAttribute('data-status'),
  };
  await shot('overview-failed-check');
  await page.unroute(isHealth);
  noErrors('health tiles');

  // Possible orphans (metric PossibleOrphans, per Kind): none in this run, so 0 without a warning; with two kinds
  // recorded (the metrics answer as a stack that recorded them gives it, faked here) their sum, a warning, each kind
  // named with its count; the tile leads to the Orphans page
  const orphanTile = page.locator('[data-testid=metric-possible-orphans]');
  const orphanTileShows = async () => ({
    value: (await orphanTile.locator('.tile-value').textContent()).trim(),
    warn: await orphanTile.evaluate((el) => el.classList.contains('warn')),
    title: await orphanTile.getAttribute('title'),
    href: await orphanTile.getAttribute('href'),
  });
  checks.possibleOrphans = { none: await orphanTileShows() };
  const isMetrics = (url) => url.pathname === '/admin/v1/metrics';
  await page.route(isMetrics, async (route) => {
    const response = await route.fetch();
    const overview = await response.json();
    const metric = overview.metrics.find((m) => m.name === 'PossibleOrphans');
    checks.possibleOrphans.listed = Boolean(metric);
    const series = (Kind, n) => ({ dimensions: { Kind }, sum: n, count: n, points: [{ start: overview.start, sum: n, count: n }] });
    if (metric) metric.series = [series('avatars', 1), series('documents', 2)];
    await route.fulfill({ response, json: overview });
  });
  await page.click('[data-nav=tasks]');
  await page.click('[data-nav=overview]');
  await page.locator('[data-testid=metric-possible-orphans].warn').waitFor();
  checks.possibleOrphans.recorded = await orphanTileShows();
  await orphanTile.click();
  await page.locator('[data-page=orphans]').waitFor();
  checks.possibleOrphans.linkedTo = new URL(page.url()).hash;
  await page.unroute(isMetrics);
  noErrors('possible orphans tile');

  // The list filtered by state: the failed task, not the succeeded one
  await page.click('[data-nav=tasks]');
  await page.locator('form.filters select[name=state]').selectOption('FAILED');
  await page.click('form.filters button[type=submit]');
  // the list that answered for exactly these filters (not the unfiltered one still on screen)
  const filtered = page.locator('table[data-testid=task-list][data-loaded=true]'
    + `[data-filters='${JSON.stringify({ appId: '', state: 'FAILED', endpoint: '', model: '', createdAfter: '', createdBefore: '' })}']`);
  await filtered.locator(`tr[data-task-id="${bad.id}"]`).waitFor();
  checks.filteredByState = await filtered.locator(`tr[data-task-id="${ok.id}"]`).count() === 0;
  if (!checks.filteredByState) throw new Error('the FAILED filter still lists the succeeded task');

  // A video from an inline image: a player for the output, the request's data URI elided
  const video = await sdk(key, 'video');
  await page.goto(`${new URL(CONSOLE_URL).origin}/#/tasks/${video.id}`);
  await page.locator('[data-page=task] [data-testid=task-state]', { hasText: 'ARCHIVED' }).waitFor();
  const player = page.locator('[data-testid=preview-video]').first();
  await player.waitFor();
  const request = await page.locator('[data-testid=request]').textContent();
  checks.video = {
    player: await player.evaluate((el) => el.tagName), linked: (await player.getAttribute('src'))?.startsWith('http') ?? false,
    dataUriElided: request.includes('characters elided') && !request.includes('iVBORw0KGgo'),
  };
  if (!checks.video.dataUriElided) throw new Error(`the request shows its data URI: ${request}`);
  await shot('task-video');
  noErrors('video task');

  // Deliveries into the app's storage: one output stored, one refused with 403 (an expired pre-signed URL)
  checks.storage = {};
  for (const [name, outcome, status] of [['ok', 'delivered', '200'], ['expired', 'rejected', '403']]) {
    const delivered = await sdk(key, 'deliver', 'A lighthouse at dusk', `${STORAGE_URL}/${name}/0.png?X-Amz-Signature=secret`);
    await page.goto(`${new URL(CONSOLE_URL).origin}/#/tasks/${delivered.id}`);
    const card = page.locator('[data-testid=storage-deliveries]');
    await card.locator(`tr.storage-delivery[data-outcome=${outcome}]`).waitFor();
    const shown = {
      outcome: (await card.locator('[data-testid=storage-outcome]').first().textContent()).trim(),
      httpStatus: (await card.locator('tr.storage-delivery .http').first().textContent()).trim(),
      urlShownWithoutQuery: (await card.locator('code.delivery-url').first().textContent()).endsWith(`/${name}/0.png`)
        && !(await card.textContent()).includes('secret'),
    };
    checks.storage[name] = shown;
    if (shown.httpStatus !== status) throw new Error(`the ${name} delivery shows HTTP ${shown.httpStatus}, not ${status}`);
    if (name === 'expired') await shot('task-delivery');
  }
  noErrors('storage deliveries');

  // From one task's page to another's (the address changes, the page is not reloaded): while the other task's answer
  // is held, no frame may show the first task's details under the other task's id
  const shownTask = page.locator('[data-page=task][data-loaded=true]');
  const fromTask = await shownTask.getAttribute('data-task-id');
  const isOtherTask = (url) => url.pathname === `/admin/v1/tasks/${ok.id}`;
  const otherTask = await holdAndWatch(isOtherTask, (id) => {
    const section = document.querySelector(`[data-page=task][data-task-id="${id}"]`);
    if (!section) return null;
    if (section.dataset.loaded === 'true') return 'loaded before its answer';
    return section.querySelector('[data-testid=task-state], [data-testid=request], [data-testid=webhook]') ? 'details shown' : null;
  }, ok.id);
  await page.evaluate((id) => { location.hash = `#/tasks/${id}`; }, ok.id);
  await page.locator(`[data-page=task][data-task-id="${ok.id}"][data-loaded=false]`).waitFor();
  checks.taskToTask = { from: fromTask, to: ok.id, staleFrames: await otherTask.frames() };
  await otherTask.release();
  await page.locator(`[data-page=task][data-task-id="${ok.id}"] [data-testid=task-state]`, { hasText: 'ARCHIVED' }).waitFor();
  checks.taskToTask.shown = await shownTask.getAttribute('data-task-id');

  // An action that answers after its page was left brings nothing back: Redeliver here, its answer held while the
  // page moves on to another task; once it has answered, this task is not asked for again (no poll outlives its page)
  const redeliverPath = `/admin/v1/tasks/${ok.id}/redeliver`;
  const isRedeliver = (url) => url.pathname === redeliverPath;
  let redeliverAsked;
  let releaseRedeliver;
  const asked = new Promise((resolve) => { redeliverAsked = resolve; });
  const redeliverHeld = new Promise((resolve) => { releaseRedeliver = resolve; });
  await page.route(isRedeliver, async (route) => {
    redeliverAsked();
    await redeliverHeld;
    await route.continue();
  });
  await page.click('[data-testid=webhook] button:has-text("Redeliver")');
  await asked;
  await page.evaluate((id) => { location.hash = `#/tasks/${id}`; }, bad.id);
  await page.locator(`[data-page=task][data-task-id="${bad.id}"][data-loaded=true]`).waitFor();
  const leftBehind = [];
  const pathOf = (request) => new URL(request.url()).pathname;
  const onRequest = (request) => {
    if (pathOf(request) === `/admin/v1/tasks/${ok.id}`) leftBehind.push(request.method());
  };
  page.on('request', onRequest);
  const redeliverAnswer = page.waitForResponse((response) => pathOf(response.request()) === redeliverPath);
  releaseRedeliver();
  const redelivered = await redeliverAnswer;
  // the shown task is polled every 2 s: by its second poll after that answer, a reload of the left task (asked as the
  // answer arrives) would have been asked, and a poll of it revived at least once
  const isShownTaskPoll = (request) => pathOf(request) === `/admin/v1/tasks/${bad.id}` && request.method() === 'GET';
  await page.waitForRequest(isShownTaskPoll);
  await page.waitForRequest(isShownTaskPoll);
  page.off('request', onRequest);
  await page.unroute(isRedeliver);
  checks.leftTask = { redeliverStatus: redelivered.status(), askedAfterLeaving: leftBehind.length };

  // Tasks, two to a page: while page 2's answer is held after "Next", no frame may show page 1's rows as page 2
  await page.goto(`${origin}/#/tasks?limit=2`);
  const tasksPage = (n) => page.locator(`table[data-testid=task-list][data-page="${n}"][data-loaded=true]`);
  await tasksPage(1).locator('tr[data-task-id]').nth(1).waitFor();
  const rowIds = (table) => table.locator('tr[data-task-id]').evaluateAll((rows) => rows.map((r) => r.dataset.taskId));
  const firstTasks = await rowIds(tasksPage(1));
  const isSecondTasks = (url) => url.pathname === '/admin/v1/tasks' && url.searchParams.has('cursor');
  const secondTasks = await holdAndWatch(isSecondTasks, () => {
    const table = document.querySelector('table[data-testid=task-list][data-page="2"]');
    if (!table) return null;
    const rows = [...table.querySelectorAll('tr[data-task-id]')].map((r) => r.dataset.taskId);
    return rows.length ? `rows ${rows.join(',')}` : table.dataset.loaded === 'true' ? 'loaded before its answer' : null;
  });
  await page.click('[data-testid=tasks-next]');
  await page.locator('table[data-testid=task-list][data-page="2"][data-loaded=false]').waitFor();
  checks.tasksNextPage = { firstPage: firstTasks, staleFrames: await secondTasks.frames() };
  await secondTasks.release();
  await tasksPage(2).locator('tr[data-task-id]').first().waitFor();
  checks.tasksNextPage.secondPage = await rowIds(tasksPage(2));
  noErrors('stale answers');

  // Usage charts
  await page.click('[data-nav=usage]');
  await page.locator('[data-testid=usage-totals] td', { hasText: 'storyboard' }).waitFor();
  await page.locator('[data-page=usage] canvas').first().waitFor();
  await shot('usage');
  await page.locator('[data-page=usage] select[name=by]').selectOption('model');
  await page.locator('[data-testid=usage-totals][data-by=model] td', { hasText: 'gen4_image' }).waitFor();
  checks.usagePerModel = true;
  // another range: while its answer is held, no frame may show the last 7 days' totals under the 30 days' range
  const sevenDays = await page.locator('[data-testid=usage-totals]').getAttribute('data-from');
  const isOtherRange = (url) => url.pathname === '/admin/v1/usage' && url.searchParams.get('from') !== sevenDays;
  const otherRange = await holdAndWatch(isOtherRange, () => {
    const section = document.querySelector('[data-page=usage][data-range="30"]');
    if (!section) return null;
    const totals = section.querySelector('[data-testid=usage-totals]');
    return totals ? `totals from ${totals.dataset.from}` : section.dataset.loaded === 'true' ? 'loaded before its answer' : null;
  });
  await page.locator('[data-page=usage] select[name=range]').selectOption('30');
  await page.locator('[data-page=usage][data-range="30"][data-loaded=false]').waitFor();
  checks.usageRange = { from7: sevenDays, staleFrames: await otherRange.frames() };
  await otherRange.release();
  checks.usageRange.from30 = await page.locator('[data-page=usage][data-range="30"] [data-testid=usage-totals]').getAttribute('data-from');

  // Rotate the key: the old one gets 401, the new one works
  await page.click('[data-nav=apps]');
  await page.locator(`tr[data-app-id="${appId}"] button:has-text("Edit")`).click();
  await page.click('button:has-text("Rotate key")');
  await page.click('button:has-text("Rotate: the old key stops working now")');
  await page.locator('[data-testid=new-key] h2', { hasText: 'rotated' }).waitFor();
  const newKey = (await page.locator('[data-testid=new-key-value]').textContent()).trim();
  if (newKey === key) throw new Error('the rotated key is the old one');
  checks.oldKey = await sdk(key, 'organization');
  checks.newKey = await sdk(newKey, 'organization');
  if (checks.oldKey.status !== 401) throw new Error(`the old key got ${checks.oldKey.status}, not 401`);
  if (checks.newKey.status !== 200) throw new Error(`the new key got ${checks.newKey.status}, not 200`);
  noErrors('rotate');

  // Orphans: one of Runway's documents per page first; the newest is the keeper's own, so page 1 has no orphan and
  // must say that the list goes on; page 2 has one
  const summary = (n, limit) => page.locator(`[data-page=orphans] [data-testid=scan-summary][data-page="${n}"][data-limit="${limit}"]`);
  for (const id of [ORPHANS.contested, ORPHANS.discarded]) refusedOnPurpose.add(`${origin}/admin/v1/orphans/documents/${id}`);
  await page.click('[data-nav=orphans]');
  await page.locator('[data-page=orphans] [data-testid=scan-summary]').waitFor();
  await page.goto(`${origin}/#/orphans?kind=documents&limit=1`);
  checks.orphans = { firstPage: await summary(1, 1).getAttribute('data-state') };
  if (checks.orphans.firstPage !== 'none-more') throw new Error(`page 1 says ${await summary(1, 1).textContent()}`);
  if (await page.locator('[data-testid=orphan-list]').count() !== 0) throw new Error('an empty page shows a table');
  // page 2's answer is held until the page has shown it is scanning: page 1's answer must never be shown as page 2
  let releaseSecond;
  const secondHeld = new Promise((resolve) => { releaseSecond = resolve; });
  const isSecondScan = (url) => url.pathname === '/admin/v1/orphans/documents' && url.searchParams.has('cursor');
  await page.route(isSecondScan, async (route) => {
    await secondHeld;
    await route.continue();
  });
  // every DOM change until page 2's answer is released is looked at: a summary numbered 2 then can only be page 1's
  await page.evaluate(() => {
    window.staleSecondPage = 0;
    const look = () => {
      if (document.querySelector('[data-page=orphans] [data-testid=scan-summary][data-page="2"]')) window.staleSecondPage++;
    };
    window.staleSecondObserver = new MutationObserver(look);
    window.staleSecondObserver.observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await page.click('[data-testid=orphans-next]');
  await page.locator('[data-testid=orphans-scanning]').waitFor();
  checks.orphans.staleSecondPage = await page.evaluate(() => {
    window.staleSecondObserver.disconnect();
    return window.staleSecondPage;
  });
  releaseSecond();
  checks.orphans.secondPage = await summary(2, 1).getAttribute('data-state');
  await page.unroute(isSecondScan);
  await page.locator('[data-testid=orphan-list] tr[data-reason=app-deleted]').waitFor();

  // every orphan on one page of 50
  await page.locator('[data-page=orphans] select[name=limit]').selectOption('50');
  const orphanRow = (id) => page.locator(`tr[data-orphan-id="${id}"]`);
  const orphanActions = (id) => page.locator(`tr[data-orphan-actions="${id}"]`);
  await summary(1, 50).waitFor();
  for (const id of [ORPHANS.handedOver, ORPHANS.discarded, ORPHANS.contested]) await orphanRow(id).waitFor();

  // assign one to the keeper: the notice, then the row has left the rescanned page
  await orphanRow(ORPHANS.handedOver).locator('button:has-text("Assign to app")').click();
  await orphanActions(ORPHANS.handedOver).locator('select[name=appId]').selectOption(ORPHANS.keeperId);
  await orphanActions(ORPHANS.handedOver).locator('button[type=submit]').click();
  await page.locator('[data-testid=orphan-notice]', { hasText: `Assigned documents ${ORPHANS.handedOver} (handed-over) to app orphans-keeper.` }).waitFor();
  if (await orphanRow(ORPHANS.handedOver).count() !== 0) throw new Error('the assigned document is still listed');
  noErrors('assign orphan');

  // another operator assigns one meanwhile: deleting it from the stale row is refused (409), the table stays
  const assignedMeanwhile = await page.evaluate(async ({ id, appId }) => (await fetch(`/admin/v1/orphans/documents/${id}/assign`, {
    method: 'POST', body: JSON.stringify({ appId }),
    headers: { 'X-Console-Token': sessionStorage.getItem('relay-console-token'), 'content-type': 'application/json' },
  })).status, { id: ORPHANS.contested, appId: ORPHANS.keeperId });
  if (assignedMeanwhile !== 200) throw new Error(`the assignment behind the page's back answered ${assignedMeanwhile}`);
  await orphanRow(ORPHANS.contested).locator('button:has-text("Delete at Runway")').click();
  await orphanRow(ORPHANS.contested).locator('button:has-text("Delete at Runway: this cannot be undone")').click();
  const refused = orphanActions(ORPHANS.contested).locator('[data-testid=orphan-problem]');
  await refused.waitFor();
  checks.orphans.contested = {
    status: Number(await refused.getAttribute('data-status')), text: (await refused.textContent()).trim(),
    tableKept: await orphanRow(ORPHANS.discarded).count() === 1 && await orphanRow(ORPHANS.contested).count() === 1,
  };
  await shot('orphans');

  // Runway unavailable (the API's 503, faked here): its retry-after is shown, the row stays
  const isDelete = (url) => url.pathname === `/admin/v1/orphans/documents/${ORPHANS.discarded}`;
  await page.route(isDelete, (route) => route.fulfill({
    status: 503, headers: { 'retry-after': '7' }, contentType: 'application/problem+json',
    body: JSON.stringify({ type: 'https://example.test/problems/runway-unavailable', title: 'Runway unavailable', status: 503,
      detail: 'Runway could not be asked (the test refused it); nothing changed, try again' }),
  }));
  await orphanRow(ORPHANS.discarded).locator('button:has-text("Delete at Runway")').click();
  await orphanRow(ORPHANS.discarded).locator('button:has-text("Delete at Runway: this cannot be undone")').click();
  const unavailable = orphanActions(ORPHANS.discarded).locator('[data-testid=orphan-problem][data-status="503"]');
  await unavailable.waitFor();
  checks.orphans.unavailable = { text: (await unavailable.textContent()).trim() };
  await page.unroute(isDelete);

  // deleted at Runway, after the confirmation: a first click alone deletes nothing
  await orphanRow(ORPHANS.discarded).locator('button:has-text("Delete at Runway")').click();
  const confirm = orphanRow(ORPHANS.discarded).locator('button:has-text("Delete at Runway: this cannot be undone")');
  await confirm.waitFor();
  await confirm.click();
  await page.locator('[data-testid=orphan-notice]', { hasText: `Deleted documents ${ORPHANS.discarded} (discarded) at Runway` }).waitFor();
  if (await orphanRow(ORPHANS.discarded).count() !== 0) throw new Error('the deleted document is still listed');
  noErrors('orphans');
} catch (e) {
  failed = e;
} finally {
  await browser.close();
}
const ok = !failed && pageErrors.length === 0;
console.log(JSON.stringify({ ok, error: failed ? String(failed.stack ?? failed) : undefined, pageErrors, checks }));
process.exitCode = ok ? 0 : 1;
