// Browser tests of the newsgraph UI: Debian's headless Chromium (never a
// downloaded browser) driven by playwright-core through every view, against a
// running `newsgraph serve` over a store ingested from examples/ plus one
// hostile article. Run by crates/newsgraph-cli/tests/serve.rs:
//
//   node ui.test.mjs --base http://127.0.0.1:PORT --screenshots DIR --hostile ID [--chromium PATH] [--ui-dir ../ui]
//
// Every check runs in the same page; throughout, the test fails on a request
// that leaves loopback (such requests are also aborted), on a JavaScript error
// or console error, on a form control without a label, on an element injected
// from stored text (XSS) and on a `javascript:` link. Prints one line per
// check and a closing `N passed, N failed` line; exits 1 on any failure.

import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const base = (args.base || '').replace(/\/$/, '');
if (!/^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\]):\d+$/.test(base)) {
  console.error('usage: node ui.test.mjs --base http://127.0.0.1:PORT [--screenshots DIR] [--hostile DOC_ID]');
  process.exit(2);
}
const shots = args.screenshots || fs.mkdtempSync(path.join(os.tmpdir(), 'newsgraph-shots-'));
fs.mkdirSync(shots, { recursive: true });
const executablePath = args.chromium || process.env.NEWSGRAPH_CHROMIUM || '/usr/bin/chromium';
const hostileId = args.hostile || null;
// Generous: CI runs the other test binaries beside this one on two cores.
const TIMEOUT = 60000;

// ---- the browser ---------------------------------------------------------------

const browser = await chromium.launch({
  executablePath,
  headless: true,
  // Playwright gives the browser a new empty profile directory of its own.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ viewport: { width: 1366, height: 850 } });
context.setDefaultTimeout(TIMEOUT);

const isLoopback = (u) => {
  if (u.startsWith('data:') || u.startsWith('blob:') || u === 'about:blank') return true;
  try {
    const h = new URL(u).hostname;
    return h === 'localhost' || h === '[::1]' || /^127\./.test(h);
  } catch (e) {
    return false;
  }
};
const offLoopback = [];
// --ui-dir DIR serves /assets/* from DIR instead of the server's embedded
// copies: for working on the UI without rebuilding the binary.
const uiDir = args['ui-dir'] || null;
const TYPES = { js: 'text/javascript', css: 'text/css', svg: 'image/svg+xml' };
await context.route('**/*', (route) => {
  const u = route.request().url();
  if (uiDir && isLoopback(u) && new URL(u).pathname.startsWith('/assets/')) {
    const name = path.basename(new URL(u).pathname);
    return route.fulfill({ body: fs.readFileSync(path.join(uiDir, name)), contentType: TYPES[name.split('.').pop()] });
  }
  if (isLoopback(u)) return route.continue();
  offLoopback.push(u);
  return route.abort();
});

const page = await context.newPage();
let current = '(start)';
let allowedConsole = null; // a RegExp of console errors the current check expects
const problems = [];
page.on('console', (m) => {
  if (m.type() !== 'error' && m.type() !== 'warning') return;
  if (m.type() === 'warning' && !/Content Security Policy|Refused/.test(m.text())) return;
  if (allowedConsole && allowedConsole.test(m.text())) return;
  problems.push(`${current}: console ${m.type()}: ${m.text()}`);
});
page.on('pageerror', (e) => problems.push(`${current}: uncaught ${e.message}`));
page.on('requestfailed', (r) => {
  if (isLoopback(r.url())) problems.push(`${current}: request failed: ${r.url()} (${r.failure() && r.failure().errorText})`);
});
page.on('dialog', (d) => {
  problems.push(`${current}: a dialog opened (${d.message()}): injected script ran`);
  d.dismiss().catch(() => {});
});

// ---- helpers ---------------------------------------------------------------------

class Failure extends Error {}
function assert(cond, msg) { if (!cond) throw new Failure(msg); }
function eq(a, b, msg) { if (a !== b) throw new Failure(`${msg}: ${JSON.stringify(a)} != ${JSON.stringify(b)}`); }

async function api(p) {
  const res = await page.request.get(base + '/api/' + p);
  assert(res.ok(), `GET /api/${p}: ${res.status()}`);
  return res.json();
}

/** Opens a hash route and waits until its view has rendered (not "Loading…"). */
async function open(hash, h1) {
  await page.goto(base + '/' + hash);
  await waitView(h1);
}

async function waitView(h1) {
  await page.waitForFunction((want) => {
    // The app marks the route whose view it has finished drawing.
    const v = document.getElementById('view');
    if (!v || v.dataset.ready !== location.hash.replace(/^#\/?/, '')) return false;
    const h = document.querySelector('#view h1');
    if (!h) return false;
    return want == null ? true : (h.textContent.includes(want) || h.textContent.includes('Something went wrong'));
  }, h1 == null ? null : h1);
  const err = await page.locator('#view .error[role=alert]').count();
  if (err && h1 !== 'Something went wrong') {
    throw new Failure(`the view shows an error: ${await page.locator('#view .error').first().textContent()}`);
  }
  await invariants();
}

async function hashIs(re) {
  await page.waitForFunction((src) => new RegExp(src).test(location.hash), re.source);
}

/** What must hold on every rendered view. */
async function invariants() {
  const r = await page.evaluate(() => {
    const labelled = (el) => el.labels && el.labels.length > 0 || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
    const unlabelled = [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
      .filter((el) => !labelled(el)).map((el) => el.name || el.id || el.outerHTML.slice(0, 60));
    return {
      injected: document.querySelectorAll('[data-xss]').length,
      xss: window.__xss,
      jsLinks: [...document.querySelectorAll('a[href]')].filter((a) => /^\s*javascript:/i.test(a.getAttribute('href'))).length,
      unlabelled,
    };
  });
  eq(r.injected, 0, 'elements injected from stored text');
  eq(r.xss, undefined, 'injected script ran');
  eq(r.jsLinks, 0, 'javascript: links');
  assert(r.unlabelled.length === 0, `form controls without a label: ${r.unlabelled.join(', ')}`);
}

async function shot(name) {
  await page.screenshot({ path: path.join(shots, name + '.png'), fullPage: true });
}

const texts = (sel) => page.locator(sel).allTextContents();
const count = (sel) => page.locator(sel).count();
/** The "1–N of TOTAL" of a pager. */
async function pagerTotal() {
  const t = await page.locator('.pager span').first().textContent();
  const m = /of ([\d,]+)/.exec(t);
  assert(m, `pager text \`${t}\``);
  return Number(m[1].replace(/,/g, ''));
}

// ---- the checks -------------------------------------------------------------------

const stats = await api('stats');
const checks = [];
const check = (name, fn, allow) => checks.push({ name, fn, allow });

check('dashboard shows the example articles\' events', async () => {
  await open('#/', 'Dashboard');
  assert(stats.documents >= 5 && stats.events > 0, `stats: ${JSON.stringify(stats)}`);
  const cards = await page.locator('.cards .card').evaluateAll((cs) => Object.fromEntries(cs.map((c) => [c.querySelector('.l').textContent, c.querySelector('.n').textContent])));
  eq(cards.Events, stats.events.toLocaleString('en'), 'events card');
  eq(cards.Articles, stats.documents.toLocaleString('en'), 'articles card');
  assert(await count('.chart svg rect') > 0, 'the timeline has no bars');
  // The timeline's table adds up to the events (dated, plus the undated ones).
  const totals = await page.locator('details:has(summary:text("Timeline as a table")) tbody tr td:last-child').allTextContents();
  const undated = Number(((await page.locator('p:text-matches("events have no date")').allTextContents())[0] || '0').replace(/[^\d]/g, '') || 0);
  eq(totals.reduce((a, t) => a + Number(t.replace(/,/g, '')), 0) + undated, stats.events, 'timeline total');
  const byType = await texts('section:has(h2:text("Events by type")) .bars .row a');
  eq(byType.length, Object.keys(stats.events_by_type).length, 'event types listed');
  assert(await count('section:has(h2:text("Most active actors")) .bars .row a') > 0, 'no active actors');
  assert(await count('section:has(h2:text("Most reported entities")) .bars .row a') > 0, 'no entities');
  await shot('dashboard');
  // A type bar leads to the filtered event table.
  await page.locator('section:has(h2:text("Events by type")) .bars .row a').first().click();
  await hashIs(/^#\/events\?type=[A-Z]+$/);
  await waitView('Events');
});

check('keyboard: skip link, then the views', async () => {
  await page.goto('about:blank');
  await open('#/', 'Dashboard');
  await page.keyboard.press('Tab');
  eq(await page.evaluate(() => document.activeElement.className), 'skip', 'first Tab stop');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  eq(await page.evaluate(() => document.activeElement.textContent), 'Events', 'fourth Tab stop');
  await page.keyboard.press('Enter');
  await hashIs(/^#\/events/);
  await waitView('Events');
});

check('event table: filters, sort, pages, CSV', async () => {
  await open('#/events', 'Events');
  eq(await pagerTotal(), stats.events, 'unfiltered total');
  eq(await count('#view table tbody tr'), Math.min(50, stats.events), 'rows on the first page');
  // The most frequent type that is not all events.
  const [type, n] = Object.entries(stats.events_by_type).sort((a, b) => b[1] - a[1]).find(([, k]) => k < stats.events) || Object.entries(stats.events_by_type)[0];
  await page.selectOption('select[name=type]', type);
  await page.click('#filters button[type=submit]');
  await hashIs(new RegExp(`type=${type}`));
  await waitView('Events');
  eq(await pagerTotal(), n, `${type} events`);
  const badges = await texts('#view table tbody .badge');
  assert(badges.length === Math.min(50, n) && badges.every((b) => b === type), `badges: ${badges}`);
  // A second filter narrows it the way the API does.
  const first = await api(`events?type=${type}&limit=1`);
  const country = (first.items[0].source[0] || {}).country;
  if (country) {
    await page.fill('input[name=source_country]', country);
    await page.click('#filters button[type=submit]');
    await hashIs(new RegExp(`source_country=${country}`));
    await waitView('Events');
    const want = (await api(`events?type=${type}&source_country=${country}&limit=1`)).total;
    eq(await pagerTotal(), want, `${type} events from ${country}`);
  }
  await shot('events-filtered');
  // The CSV link downloads the same selection.
  const href = await page.locator('a[download="events.csv"]').getAttribute('href');
  assert(href.startsWith('/api/events?') && href.includes('format=csv') && href.includes(`type=${type}`), `CSV link ${href}`);
  const csv = await page.request.get(base + href);
  assert(csv.ok() && /text\/csv/.test(csv.headers()['content-type']), `CSV: ${csv.status()} ${csv.headers()['content-type']}`);
  const lines = (await csv.text()).trim().split('\n');
  eq(lines.length - 1, await pagerTotal(), 'CSV rows');
  // Clear, then oldest first.
  await page.click('#clear');
  await hashIs(/^#\/events$/);
  await waitView('Events');
  eq(await pagerTotal(), stats.events, 'total after clearing');
  await page.selectOption('select[name=sort]', 'date');
  await page.click('#filters button[type=submit]');
  await hashIs(/sort=date/);
  await waitView('Events');
  const dates = (await texts('#view table tbody tr td:first-child')).filter((d) => d !== '–');
  assert(dates.join() === [...dates].sort().join(), `not oldest first: ${dates.slice(0, 5)}`);
  // Pages.
  if (stats.events > 50) {
    await page.click('#next');
    await hashIs(/offset=50/);
    await waitView('Events');
    assert((await page.locator('.pager span').first().textContent()).startsWith('51'), 'second page');
  }
  // A bad filter typed into the URL is a readable error, not a blank page.
  await page.goto(base + '/#/events?min_confidence=7');
  await waitView('Something went wrong');
  assert(/min_confidence/.test(await page.locator('#view .error').textContent()), 'error message names the parameter');
}, /status of 400/);

check('event page: evidence with the trigger marked, then its article', async () => {
  const page1 = await api('events?sort=-reports&limit=1');
  const e = page1.items[0];
  await open('#/events?sort=-reports', 'Events');
  await page.locator('#view table tbody tr').first().locator('a', { hasText: 'details' }).click();
  await hashIs(new RegExp(`^#/event/${e.id}$`));
  await waitView(`event ${e.id}`);
  const full = await api(`events/${e.id}`);
  const marks = await texts('blockquote.evidence mark');
  eq(marks.length, full.reports.length, 'one marked trigger per report');
  eq(marks[0], full.reports[0].trigger.text, 'marked trigger');
  await shot('event');
  await page.locator('a', { hasText: 'open article' }).first().click();
  await hashIs(/^#\/document\//);
  await waitView();
  await page.waitForSelector('#doctext .flash');
  const flashed = (await texts('#doctext .flash')).join('');
  eq(flashed, full.reports[0].trigger.text, 'the article opens with the trigger highlighted');
  assert(await page.locator('#doctext .flash.trig').count() > 0, 'the highlighted words are a trigger span');
});

check('document view: a known event of the Ankara article, its fields linked to the words', async () => {
  const doc = await api('documents/meridian-2024-03-18-grain');
  await open('#/document/meridian-2024-03-18-grain', 'Turkey hosts Ukrainian and Russian envoys');
  // Every layer is drawn.
  for (const cls of ['ent', 'time', 'quote', 'trig']) assert(await count(`#doctext span.${cls}`) > 0, `no ${cls} highlights`);
  // The text is the article's, unchanged.
  eq(await page.locator('#doctext').textContent(), doc.text, 'document text');
  // Known event: Karaca hosted the envoys (a CONSULT whose trigger is "hosted").
  const v = doc.events.find((x) => x.type === 'CONSULT' && /host/.test(x.trigger.text));
  assert(v, `no CONSULT "hosted" event: ${doc.events.map((x) => x.type + ' ' + x.trigger.text).join('; ')}`);
  const trig = await page.locator(`#doctext span.trig[data-ev="${v.id}"]`).allTextContents();
  eq(trig.join(''), v.trigger.text, 'the trigger span');
  const card = page.locator(`#card-${v.id}`);
  await card.locator('dt:text("Trigger") + dd button').click();
  eq((await texts('#doctext .flash')).join(''), v.trigger.text, 'Trigger button highlights the trigger');
  if (v.source.length) {
    await card.locator('dt:text("Source") + dd button').first().click();
    eq((await texts('#doctext .flash')).join(''), v.source[0].text, 'Source button highlights the source');
  }
  if (v.time) {
    await card.locator('dt:text("Date") + dd button').click();
    eq((await texts('#doctext .flash')).join(''), v.time.text, 'Date button highlights the time expression');
  }
  await shot('document');
  // A layer can be switched off and on.
  const bg = () => page.locator(`#doctext span.trig[data-ev="${v.id}"]`).first().evaluate((el) => getComputedStyle(el).backgroundColor);
  const on = await bg();
  await page.locator('input[data-layer=trig]').uncheck();
  assert(await page.locator('#doctext.hide-trig').count() === 1, 'trigger layer not hidden');
  assert(await bg() !== on, 'hidden trigger still highlighted');
  await page.locator('input[data-layer=trig]').check();
  eq(await bg(), on, 'trigger highlight back');
  // Clicking a trigger in the text shows its event card.
  await page.locator(`#doctext span.trig[data-ev="${v.id}"]`).first().click();
  await page.waitForFunction((id) => document.activeElement && document.activeElement.closest(`#card-${id}`), v.id);
});

check('network of actors and of countries', async () => {
  await open('#/network', 'Actor network');
  const net = await api('network?node=entity&limit=120');
  eq(await count('.net svg a.node'), net.nodes.length, 'nodes drawn');
  eq(await count('.net svg line'), net.edges.length, 'edges drawn');
  assert(net.edges.length > 0, 'no edges in the example network');
  const strokes = await page.locator('.net svg line').evaluateAll((ls) => ls.map((l) => l.getAttribute('stroke')));
  assert(strokes.every((s) => /^rgb\(\d+,\d+,\d+\)$/.test(s)), `edge colours ${strokes}`);
  // Nodes lie inside the drawing.
  const out = await page.locator('.net svg circle').evaluateAll((cs) => cs.filter((c) => {
    const x = +c.getAttribute('cx'), y = +c.getAttribute('cy');
    return !(x >= 0 && x <= 900 && y >= 0 && y <= 600);
  }).length);
  eq(out, 0, 'nodes outside the drawing');
  // ... and are spread over it, not pressed against its edges.
  const atEdge = await page.locator('.net svg circle').evaluateAll((cs) => cs.filter((c) => {
    const x = +c.getAttribute('cx'), y = +c.getAttribute('cy');
    return x < 35 || x > 900 - 145 || y < 28 || y > 600 - 28;
  }).length);
  assert(atEdge <= net.nodes.length / 4, `${atEdge} of ${net.nodes.length} nodes at the edges of the drawing`);
  await shot('network');
  await page.selectOption('select[name=node]', 'country');
  await page.click('#filters button[type=submit]');
  await hashIs(/node=country/);
  await waitView('Actor network');
  const byCountry = await api('network?node=country&limit=120');
  eq(await count('.net svg a.node'), byCountry.nodes.length, 'country nodes drawn');
  await shot('network-countries');
  await page.locator('.net svg a.node').first().click();
  await hashIs(/^#\/(events|entity)/);
  await waitView();
});

check('map of event locations', async () => {
  await open('#/map', 'Map of event locations');
  const placed = (await api('events?limit=1000')).items.filter((e) => e.location && e.location.lat != null);
  const places = new Set(placed.map((e) => e.location.lat.toFixed(2) + ',' + e.location.lon.toFixed(2)));
  assert(places.size > 0, 'no placed events in the examples');
  eq(await count('.map svg circle.pt'), places.size, 'places drawn');
  // The land and borders are drawn from the embedded outline.
  eq(await count('.map svg image.land[href="/assets/world.svg"]'), 1, 'world outline');
  const world = await page.request.get(base + '/assets/world.svg');
  assert(world.ok() && /image\/svg\+xml/.test(world.headers()['content-type']), `world.svg: ${world.status()}`);
  assert((await world.text()).includes('<path'), 'world.svg has no outlines');
  const box = await page.locator('.map svg').boundingBox();
  assert(box && box.width > 400 && box.height > 200, `map size ${JSON.stringify(box)}`);
  await shot('map');
  // A place leads to its events.
  await page.locator('.map svg a').first().click();
  await hashIs(/^#\/events\?place=/);
  await waitView('Events');
  assert(await pagerTotal() > 0, 'no events at the place');
});

check('entities list, filter and entity page', async () => {
  await open('#/entities', 'Entities');
  assert(await count('#view table tbody tr') > 0, 'no entities');
  await page.selectOption('select[name=type]', 'PERSON');
  await page.click('#filters button[type=submit]');
  await hashIs(/type=PERSON/);
  await waitView('Entities');
  const types = await texts('#view table tbody tr td:nth-child(2)');
  assert(types.length > 0 && types.every((t) => t === 'PERSON'), `types ${types}`);
  // The most active actor's page.
  const net = await api('network?node=entity&limit=50');
  const top = net.nodes.find((n) => n.entity != null);
  const d = await api(`entities/${top.entity}`);
  await open(`#/entity/${top.entity}`, d.entity.name);
  eq(await count('#view h2'), 4, 'sections of the entity page');
  const rows = await count('#view h2:text-matches("Events as (source|target)") + .table-wrap tbody tr');
  eq(rows, d.events_as_source.length + d.events_as_target.length, 'event rows');
  await shot('entity');
  await page.locator('a', { hasText: 'all in the event table' }).click();
  await hashIs(/entity_id=/);
  await waitView('Events');
  eq(await pagerTotal(), d.n_events, 'the entity\'s events');
});

check('quotes', async () => {
  await open('#/quotes', 'Quotes');
  const all = await api('quotes?limit=1');
  eq(await pagerTotal(), all.total, 'quotes total');
  await page.selectOption('select[name=kind]', 'direct');
  await page.click('#filters button[type=submit]');
  await hashIs(/kind=direct/);
  await waitView('Quotes');
  eq(await pagerTotal(), (await api('quotes?kind=direct&limit=1')).total, 'direct quotes');
  await shot('quotes');
});

check('search box', async () => {
  await open('#/', 'Dashboard');
  await page.fill('#search-q', 'grain corridor');
  await page.press('#search-q', 'Enter');
  await hashIs(/^#\/search\?q=grain\+corridor$/);
  await waitView('Search: grain corridor');
  const titles = await texts('#view section a[href^="#/document/"]');
  assert(titles.includes('Turkey hosts Ukrainian and Russian envoys for grain corridor talks'), `results ${titles}`);
  await shot('search');
  await page.locator('#view section a[href^="#/document/"]', { hasText: 'Turkey hosts' }).click();
  await waitView('Turkey hosts');
  // Search syntax is just words.
  await open('#/search?q=' + encodeURIComponent('grain" OR NEAR(x) *'), 'Search');
});

check('try an article (POST /api/extract)', async () => {
  await open('#/extract', 'Try an article');
  await page.fill('#x-date', '2024-05-03');
  await page.fill('#x-text', 'Foreign Minister Ilse Varga met her counterpart Tomas Reyk in Vienna on Friday. "We agreed to talk again," Varga said.');
  await page.click('#extract-form button[type=submit]');
  await page.waitForSelector('#x-out #doctext, #x-out .error', { timeout: 180000 });
  eq(await count('#x-out .error'), 0, 'extract failed');
  assert(await count('#x-out #doctext span.ent') > 0, 'no entities highlighted');
  await invariants();
  await shot('extract');
});

check('unknown views and records show a message', async () => {
  await open('#/nowhere', 'Not found');
  await open('#/event/987654321', 'Something went wrong');
  assert(/no event|not found/i.test(await page.locator('#view .error').textContent()), 'message');
  await open('#/entity/abc', 'Something went wrong');
}, /status of (400|404)/);

if (hostileId) {
  check('a hostile article is shown as text, never run', async () => {
    const doc = await api('documents/' + encodeURIComponent(hostileId));
    await open('#/document/' + encodeURIComponent(hostileId));
    const h1 = await page.locator('#view h1').textContent();
    eq(h1, doc.title, 'the title is shown literally');
    assert(h1.includes('<'), 'the hostile title lost its markup characters');
    eq(await page.locator('#doctext').textContent(), doc.text, 'the text is shown literally');
    await shot('hostile-document');
    // Everywhere its words appear.
    await open('#/search?q=' + encodeURIComponent('Vance'), 'Search');
    assert(await count('#view section a[href^="#/document/"]') > 0, 'the hostile article is not found');
    await open('#/events?q=Vance', 'Events');
    await open('#/quotes?q=forget', 'Quotes');
    for (const e of doc.entities) {
      const id = doc.corpus && doc.corpus.entities[e.id];
      if (id != null) await open(`#/entity/${id}`);
    }
    for (const id of Object.values((doc.corpus || {}).events || {})) await open(`#/event/${id}`);
    await open('#/', 'Dashboard');
    await open('#/network', 'Actor network');
    await open('#/network?node=country', 'Actor network');
    await open('#/map', 'Map');
    await open('#/entities', 'Entities');
  });
}

// ---- run ---------------------------------------------------------------------------

let passed = 0, failed = 0;
for (const c of checks) {
  current = c.name;
  allowedConsole = c.allow || null;
  const before = problems.length;
  try {
    await c.fn();
    if (problems.length > before) throw new Failure(problems.slice(before).join('\n  '));
    passed++;
    console.log(`ok   ${c.name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${c.name}\n  ${e instanceof Failure ? e.message : e.stack}`);
    await shot('failed-' + c.name.replace(/[^a-z0-9]+/gi, '-')).catch(() => {});
  }
  allowedConsole = null;
}
current = '(after all checks)';
if (offLoopback.length) {
  failed++;
  console.log(`FAIL no request leaves loopback\n  ${offLoopback.join('\n  ')}`);
} else {
  passed++;
  console.log('ok   no request leaves loopback');
}
await browser.close();
console.log(`screenshots in ${shots}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
