// newsgraph analyst UI: plain JavaScript, no dependencies, no build step.
// Every view is rendered from the JSON API of the same server; routes live in
// the URL hash (#/events?type=REJECT) so views can be bookmarked and shared.
'use strict';

const QUADS = ['verbal_cooperation', 'material_cooperation', 'verbal_conflict', 'material_conflict'];
const QUAD_LABEL = {
  verbal_cooperation: 'Verbal cooperation', material_cooperation: 'Material cooperation',
  verbal_conflict: 'Verbal conflict', material_conflict: 'Material conflict',
};
const QUAD_COLOUR = {
  verbal_cooperation: '#2166ac', material_cooperation: '#5aa3d6',
  verbal_conflict: '#e08214', material_conflict: '#b2182b',
};
const TYPES = ['AGREE', 'CONSULT', 'SUPPORT', 'CONCEDE', 'COOPERATE', 'AID', 'RETREAT', 'REQUEST',
  'ACCUSE', 'REJECT', 'THREATEN', 'PROTEST', 'SANCTION', 'MOBILIZE', 'COERCE', 'ASSAULT'];
const MODALITIES = ['asserted', 'negated', 'future', 'conditional', 'hypothetical'];
const EVENT_FILTERS = ['type', 'from', 'to', 'entity', 'entity_id', 'source_country', 'source_sector',
  'target_country', 'target_sector', 'country', 'place', 'mode', 'modality', 'min_confidence',
  'min_sources', 'q'];

// ---- helpers ---------------------------------------------------------------

const view = () => document.getElementById('view');

function esc(s) {
  return String(s == null ? '' : s).replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  })[c]);
}

/** A link target from stored data: web addresses only (never `javascript:` or `data:`). */
function safeUrl(u) {
  return typeof u === 'string' && /^https?:\/\/[^\s]+$/i.test(u.trim()) ? u.trim() : null;
}

function fmt(n) { return n == null ? '–' : Number(n).toLocaleString('en'); }

/** "1 article", "3 articles". */
function count(n, word) { return `${fmt(n)} ${word}${Number(n) === 1 ? '' : 's'}`; }

class ApiError extends Error {}

/**
 * fetch() for the API: sends the token a server started with NEWSGRAPH_TOKEN
 * asks for (kept for this tab only), and asks the user for it on a 401.
 */
async function apiFetch(url, init) {
  for (let attempt = 0; ; attempt++) {
    const headers = Object.assign({}, (init && init.headers) || {});
    const token = sessionStorage.getItem('newsgraph-token');
    if (token) headers.Authorization = 'Bearer ' + token;
    const res = await fetch(url, Object.assign({}, init, { headers }));
    if (res.status !== 401 || attempt > 0) return res;
    const given = window.prompt('This newsgraph server needs its access token:');
    if (!given) return res;
    sessionStorage.setItem('newsgraph-token', given.trim());
  }
}

async function api(path, params) {
  const qs = params ? new URLSearchParams(params).toString() : '';
  const res = await apiFetch('/api/' + path + (qs ? '?' + qs : ''), { headers: { Accept: 'application/json' } });
  let body = null;
  try { body = await res.json(); } catch (e) { /* not JSON */ }
  if (!res.ok) {
    const msg = body && body.error ? body.error.message : res.status + ' ' + res.statusText;
    throw new ApiError(msg);
  }
  return body;
}

/** Query parameters of the current route, without empty values. */
function cleanParams(p) {
  const out = {};
  for (const [k, v] of Object.entries(p)) if (v != null && String(v).trim() !== '') out[k] = String(v).trim();
  return out;
}

function go(path, params) {
  const qs = params ? new URLSearchParams(cleanParams(params)).toString() : '';
  location.hash = '#/' + path + (qs ? '?' + qs : '');
}

function setView(html, title) {
  const v = view();
  v.innerHTML = html;
  document.title = (title ? title + ' · ' : '') + 'newsgraph';
}

function showError(e) {
  setView(`<h1>Something went wrong</h1><p class="error" role="alert">${esc(e.message || e)}</p>`, 'Error');
}

function actorLinks(actors) {
  if (!actors || !actors.length) return '<span class="muted">–</span>';
  return actors.map((a) => {
    const codes = [a.country, a.sector].filter(Boolean).join(' ');
    const name = a.entity != null ? `<a href="#/entity/${a.entity}">${esc(a.name)}</a>` : esc(a.name);
    return name + (codes ? ` <span class="muted small">${esc(codes)}</span>` : '');
  }).join(', ');
}

function quadBadge(e) {
  const q = e.quad_class;
  return `<span class="badge q-${q}" title="${esc(QUAD_LABEL[q] || '')}">${esc(e.type)}</span>`;
}

function placeName(e) { return e.location ? esc(e.location.name) + (e.location.country ? ` <span class="muted small">${esc(e.location.country)}</span>` : '') : '<span class="muted">–</span>'; }

function eventRows(events) {
  if (!events.length) return '<p class="empty">No events match.</p>';
  return `<div class="table-wrap"><table>
  <caption class="sr-only">Events</caption>
  <thead><tr><th scope="col">Date</th><th scope="col">Type</th><th scope="col">Source</th><th scope="col">Target</th>
  <th scope="col">Place</th><th scope="col">Modality</th><th scope="col" class="num">Reports</th><th scope="col" class="num">Conf.</th><th scope="col"><span class="sr-only">Details</span></th></tr></thead>
  <tbody>${events.map((e) => `<tr>
    <td>${esc(e.date || '–')}</td><td>${quadBadge(e)}${e.mode ? ` <span class="small muted">${esc(e.mode)}</span>` : ''}</td>
    <td>${actorLinks(e.source)}</td><td>${actorLinks(e.target)}</td><td>${placeName(e)}</td>
    <td>${esc(e.modality)}</td><td class="num">${fmt(e.n_reports)}</td><td class="num">${Number(e.confidence).toFixed(2)}</td>
    <td><a href="#/event/${e.id}" aria-label="Event ${e.id} details">details</a></td></tr>`).join('')}</tbody></table></div>`;
}

function legend(keys, colours, labels) {
  return `<div class="legend" aria-hidden="true">${keys.map((k) => `<span><span class="sw" style="background:${colours[k]}"></span>${esc(labels[k] || k)}</span>`).join('')}</div>`;
}

// ---- dashboard -------------------------------------------------------------

function pickInterval(stats) {
  const a = stats.first_published, b = stats.last_published;
  if (!a || !b) return 'month';
  const days = (Date.parse(b.slice(0, 10)) - Date.parse(a.slice(0, 10))) / 864e5;
  if (days <= 62) return 'day';
  if (days <= 400) return 'week';
  return 'month';
}

function timelineChart(tl) {
  const buckets = tl.buckets;
  if (!buckets.length) return '<p class="empty">No dated events yet.</p>';
  const W = 760, H = 230, L = 40, B = 36, T = 10;
  const max = Math.max(1, ...buckets.map((b) => b.total));
  const bw = (W - L - 8) / buckets.length;
  const y = (v) => T + (H - T - B) * (1 - v / max);
  let bars = '';
  buckets.forEach((b, i) => {
    let acc = 0;
    const x = L + i * bw;
    for (const k of tl.keys) {
      const n = b.counts[k] || 0;
      if (!n) continue;
      const y0 = y(acc), y1 = y(acc + n);
      bars += `<rect x="${(x + 1).toFixed(1)}" y="${y1.toFixed(1)}" width="${Math.max(1, bw - 2).toFixed(1)}" height="${(y0 - y1).toFixed(1)}" fill="${QUAD_COLOUR[k] || '#777'}"><title>${esc(b.period)}: ${n} ${esc(QUAD_LABEL[k] || k)}</title></rect>`;
      acc += n;
    }
  });
  const every = Math.max(1, Math.ceil(buckets.length / 10));
  const labels = buckets.map((b, i) => (i % every ? '' : `<text x="${(L + i * bw + bw / 2).toFixed(1)}" y="${H - B + 14}" text-anchor="middle">${esc(b.period)}</text>`)).join('');
  const ticks = [0, 0.5, 1].map((f) => Math.round(max * f)).filter((v, i, a) => a.indexOf(v) === i)
    .map((v) => `<text x="${L - 6}" y="${y(v) + 4}" text-anchor="end">${v}</text><line x1="${L}" x2="${W}" y1="${y(v)}" y2="${y(v)}" stroke="#e3e8ee"/>`).join('');
  const table = `<details><summary>Timeline as a table</summary><table><thead><tr><th scope="col">Period</th>${tl.keys.map((k) => `<th scope="col" class="num">${esc(QUAD_LABEL[k] || k)}</th>`).join('')}<th scope="col" class="num">Total</th></tr></thead><tbody>${buckets.map((b) => `<tr><td>${esc(b.period)}</td>${tl.keys.map((k) => `<td class="num">${fmt(b.counts[k] || 0)}</td>`).join('')}<td class="num">${fmt(b.total)}</td></tr>`).join('')}</tbody></table></details>`;
  return `${legend(QUADS, QUAD_COLOUR, QUAD_LABEL)}<div class="chart"><svg viewBox="0 0 ${W} ${H}" role="img" aria-label="Events per ${esc(tl.interval)} by quad class">${ticks}${bars}${labels}</svg></div>${tl.undated ? `<p class="small muted">${fmt(tl.undated)} events have no date.</p>` : ''}${table}`;
}

function barList(rows, hrefOf) {
  if (!rows.length) return '<p class="empty">None yet.</p>';
  const max = Math.max(1, ...rows.map((r) => r.n));
  return `<div class="bars">${rows.map((r) => `<div class="row"><span>${hrefOf ? `<a href="${hrefOf(r)}">${esc(r.label)}</a>` : esc(r.label)}</span><span class="bar" style="width:${(100 * r.n / max).toFixed(1)}%" aria-hidden="true"></span><span class="n">${fmt(r.n)}</span></div>`).join('')}</div>`;
}

async function dashboard() {
  const stats = await api('stats');
  const interval = pickInterval(stats);
  const [tl, net, ents] = await Promise.all([
    api('timeline', { interval, group: 'quad' }),
    api('network', { node: 'entity', limit: 400 }),
    api('entities', { limit: 10 }),
  ]);
  const cards = [['documents', 'Articles'], ['sources', 'Outlets'], ['events', 'Events'], ['event_reports', 'Event reports'],
    ['entities', 'Entities'], ['quotes', 'Quotes'], ['times', 'Time expressions']]
    .map(([k, l]) => `<div class="card"><span class="n">${fmt(stats[k])}</span><span class="l">${l}</span></div>`).join('');
  const span = stats.first_published ? `${esc(stats.first_published.slice(0, 10))} to ${esc((stats.last_published || '').slice(0, 10))}` : 'no articles yet';
  const byType = Object.entries(stats.events_by_type || {}).map(([t, n]) => ({ label: t, n, t }));
  const actors = net.nodes.slice(0, 10).map((n) => ({ label: n.label, n: n.events, entity: n.entity }));
  setView(`<h1>Dashboard</h1>
  <p class="muted">Articles published ${span}.</p>
  <section aria-label="Counts"><div class="cards">${cards}</div></section>
  <div class="grid2">
    <section class="panel"><h2>Events per ${esc(interval)}, by quad class</h2>${timelineChart(tl)}</section>
    <section class="panel"><h2>Events by type</h2>${barList(byType, (r) => '#/events?type=' + r.t)}</section>
  </div>
  <div class="grid2">
    <section class="panel"><h2>Most active actors</h2><p class="small muted">Events as source or target.</p>${barList(actors, (r) => (r.entity != null ? '#/entity/' + r.entity : '#/events?entity=' + encodeURIComponent(r.label)))}</section>
    <section class="panel"><h2>Most reported entities</h2><p class="small muted">Articles mentioning them.</p>${barList(ents.items.map((e) => ({ label: e.name, n: e.n_documents, id: e.id })), (r) => '#/entity/' + r.id)}</section>
  </div>`, 'Dashboard');
}

// ---- events ----------------------------------------------------------------

function filterForm(p, extra) {
  const input = (name, label, type, cls) => `<label>${label}<input name="${name}" type="${type || 'text'}" value="${esc(p[name] || '')}"${cls ? ` class="${cls}"` : ''}></label>`;
  const types = (p.type || '').split(',').filter(Boolean);
  return `<form class="filters" id="filters" aria-label="Filters">
    <label>Type<select name="type"><option value="">any</option>${TYPES.map((t) => `<option${types.length === 1 && types[0] === t ? ' selected' : ''}>${t}</option>`).join('')}${types.length > 1 ? `<option selected value="${esc(p.type)}">${esc(p.type)}</option>` : ''}</select></label>
    ${input('from', 'From', 'date')}${input('to', 'To', 'date')}
    ${input('entity', 'Actor name')}${input('source_country', 'Source country', 'text', 'narrow')}${input('target_country', 'Target country', 'text', 'narrow')}
    ${input('country', 'Place country', 'text', 'narrow')}${input('place', 'Place')}
    <label>Modality<select name="modality"><option value="">any</option>${MODALITIES.map((m) => `<option${p.modality === m ? ' selected' : ''}>${m}</option>`).join('')}</select></label>
    ${input('min_confidence', 'Min. confidence', 'number', 'narrow')}${input('min_sources', 'Min. outlets', 'number', 'narrow')}
    ${input('q', 'Article words')}
    ${extra || ''}
    ${p.entity_id ? `<input type="hidden" name="entity_id" value="${esc(p.entity_id)}">` : ''}
    <span class="actions"><button type="submit">Apply</button><button type="reset" class="secondary" id="clear">Clear</button></span>
  </form>`;
}

function readForm(form) {
  const out = {};
  for (const [k, v] of new FormData(form).entries()) if (String(v).trim() !== '') out[k] = String(v).trim();
  return out;
}

function bindFilters(route) {
  const form = document.getElementById('filters');
  form.addEventListener('submit', (ev) => { ev.preventDefault(); go(route, readForm(form)); });
  document.getElementById('clear').addEventListener('click', (ev) => { ev.preventDefault(); go(route, {}); });
}

function pick(p, keys) {
  const out = {};
  for (const k of keys) if (p[k]) out[k] = p[k];
  return out;
}

async function eventsView(p) {
  const limit = 50;
  const offset = Math.max(0, parseInt(p.offset || '0', 10) || 0);
  const filters = pick(p, EVENT_FILTERS);
  const sort = p.sort || '-date';
  const page = await api('events', { ...filters, sort, limit, offset });
  const sortSel = `<label>Sort<select name="sort">${[['-date', 'newest first'], ['date', 'oldest first'], ['-reports', 'most reports'], ['-sources', 'most outlets'], ['-confidence', 'most confident']].map(([v, l]) => `<option value="${v}"${v === sort ? ' selected' : ''}>${l}</option>`).join('')}</select></label>`;
  const csv = '/api/events?' + new URLSearchParams({ ...filters, sort, format: 'csv' }).toString();
  const from = page.total ? offset + 1 : 0, to = Math.min(page.total, offset + page.items.length);
  const pager = `<nav class="pager" aria-label="Pages">
    <button type="button" id="prev"${offset <= 0 ? ' disabled' : ''}>Previous</button>
    <span>${fmt(from)}–${fmt(to)} of ${fmt(page.total)}</span>
    <button type="button" id="next"${offset + limit >= page.total ? ' disabled' : ''}>Next</button>
    <a class="button secondary" href="${esc(csv)}" download="events.csv">Download CSV</a></nav>`;
  setView(`<h1>Events</h1>${filterForm(p, sortSel)}${pager}${eventRows(page.items)}`, 'Events');
  bindFilters('events');
  document.getElementById('prev').addEventListener('click', () => go('events', { ...filters, sort, offset: Math.max(0, offset - limit) }));
  document.getElementById('next').addEventListener('click', () => go('events', { ...filters, sort, offset: offset + limit }));
}

function evidence(sentence, trigger) {
  // Offsets are characters of the document; the sentence span starts at sentence.start.
  const chars = Array.from(sentence.text);
  const a = trigger.start - sentence.start, b = trigger.end - sentence.start;
  if (a < 0 || b > chars.length) return esc(sentence.text);
  return esc(chars.slice(0, a).join('')) + '<mark>' + esc(chars.slice(a, b).join('')) + '</mark>' + esc(chars.slice(b).join(''));
}

async function eventView(id) {
  const e = await api('events/' + encodeURIComponent(id));
  const loc = e.location ? `${esc(e.location.name)}${e.location.country ? ' (' + esc(e.location.country) + ')' : ''}${e.location.lat != null ? ` <span class="muted small">${e.location.lat.toFixed(2)}, ${e.location.lon.toFixed(2)}</span>` : ''}` : '–';
  setView(`<h1>${quadBadge(e)} event ${e.id}${e.date ? ' · ' + esc(e.date) : ''}</h1>
  <dl class="kv">
    <dt>Quad class</dt><dd>${esc(QUAD_LABEL[e.quad_class])}</dd>
    <dt>Mode</dt><dd>${esc(e.mode || '–')}</dd>
    <dt>Source</dt><dd>${actorLinks(e.source)}</dd>
    <dt>Target</dt><dd>${actorLinks(e.target)}</dd>
    <dt>Place</dt><dd>${loc}</dd>
    <dt>Modality</dt><dd>${esc(e.modality)}</dd>
    <dt>Confidence</dt><dd>${Number(e.confidence).toFixed(2)}</dd>
    <dt>Reported by</dt><dd>${count(e.n_reports, 'report')} in ${count(e.n_documents, 'article')} from ${count(e.n_sources, 'outlet')}${e.first_report ? `, ${esc(e.first_report)} to ${esc(e.last_report)}` : ''}</dd>
  </dl>
  <h2>Evidence</h2>
  <ul class="plain">${e.reports.map((r, i) => `<li><blockquote class="evidence">${evidence(r.sentence, r.trigger)}</blockquote>
    <p class="small muted">${esc(r.source || 'unknown outlet')}${r.published ? ', ' + esc(r.published) : ''} · ${esc(r.modality)} · ${Number(r.confidence).toFixed(2)} · rule ${esc(r.rule)} ·
    <a href="#/document/${encodeURIComponent(r.document)}?event=${e.id}">open article ${esc(r.document)}</a>${safeUrl(r.url) ? ` · <a href="${esc(safeUrl(r.url))}" rel="noreferrer noopener">original</a>` : ''}</p></li>`).join('')}</ul>`, 'Event ' + e.id);
}

// ---- network ---------------------------------------------------------------

function scoreColour(s) {
  // -1 conflict (red) .. 0 neutral (grey) .. +1 cooperation (blue).
  const lerp = (a, b, t) => Math.round(a + (b - a) * t);
  const grey = [150, 150, 150], blue = [33, 102, 172], red = [178, 24, 43];
  const [to, t] = s >= 0 ? [blue, s] : [red, -s];
  return `rgb(${lerp(grey[0], to[0], t)},${lerp(grey[1], to[1], t)},${lerp(grey[2], to[2], t)})`;
}

/**
 * A small force-directed layout (Fruchterman-Reingold with gravity, fixed
 * iterations, deterministic start): linked nodes pull together, all nodes
 * push apart, and a pull towards the centre keeps unconnected pairs on the
 * canvas; the result is scaled to the canvas, less a margin that leaves
 * room for labels.
 */
function layout(nodes, edges, W, H) {
  const n = nodes.length;
  const idx = new Map(nodes.map((d, i) => [d.id, i]));
  const pos = nodes.map((d, i) => {
    // A sunflower spiral: evenly spread, the same every time.
    const a = i * 2.399963, r = Math.sqrt((i + 0.5) / Math.max(1, n)) * 0.45 * Math.min(W, H);
    return { x: (W - 110) / 2 + r * Math.cos(a), y: H / 2 + r * Math.sin(a) };
  });
  const links = edges.map((e) => [idx.get(e.source), idx.get(e.target), e.events]).filter((l) => l[0] != null && l[1] != null && l[0] !== l[1]);
  // Labels are drawn to the right of the nodes: a wider right margin.
  const left = 30, right = W - 140, top = 24, bottom = H - 24, cx = (left + right) / 2, cy = H / 2;
  const k = 0.8 * Math.sqrt(((right - left) * (bottom - top)) / Math.max(1, n));
  const iterations = 300;
  const rx = (right - left) / 2, ry = (bottom - top) / 2;
  const gx = (0.6 * n * k * k) / (rx * rx), gy = (0.6 * n * k * k) / (ry * ry);
  const dx = new Float64Array(n), dy = new Float64Array(n);
  for (let it = 0; it < iterations; it++) {
    dx.fill(0); dy.fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        let x = pos[i].x - pos[j].x, y = pos[i].y - pos[j].y;
        let d = Math.sqrt(x * x + y * y);
        if (d < 0.01) { x = 0.01 * (i - j); y = 0.01; d = Math.sqrt(x * x + y * y); }
        const f = (k * k) / d / d;
        dx[i] += x * f; dy[i] += y * f; dx[j] -= x * f; dy[j] -= y * f;
      }
    }
    for (const [a, b, w] of links) {
      const x = pos[a].x - pos[b].x, y = pos[a].y - pos[b].y;
      const d = Math.sqrt(x * x + y * y) || 0.01;
      const f = (d / k) * Math.min(3, 1 + Math.log(w));
      dx[a] -= x * f; dy[a] -= y * f; dx[b] += x * f; dy[b] += y * f;
    }
    const t = (0.1 * Math.min(W, H)) * (1 - it / iterations) + 0.5;
    for (let i = 0; i < n; i++) {
      // Gravity grows with the distance from the centre; at the margin it
      // balances the push of all other nodes (about n k² / R).
      dx[i] -= (pos[i].x - cx) * gx;
      dy[i] -= (pos[i].y - cy) * gy;
      const d = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]) || 1;
      const step = Math.min(d, t);
      pos[i].x += dx[i] / d * step;
      pos[i].y += dy[i] / d * step;
    }
  }
  // Fit the drawing to the canvas (each axis on its own).
  const fit = (key, lo, hi) => {
    const vs = pos.map((p) => p[key]), a = Math.min(...vs), b = Math.max(...vs);
    for (const p of pos) p[key] = b - a < 1 ? (lo + hi) / 2 : lo + (p[key] - a) / (b - a) * (hi - lo);
  };
  if (n) { fit('x', left, right); fit('y', top, bottom); }
  return pos;
}

async function networkView(p) {
  const node = p.node === 'country' ? 'country' : 'entity';
  const limit = p.limit || '120';
  const filters = pick(p, EVENT_FILTERS);
  const net = await api('network', { ...filters, node, limit });
  const W = 900, H = 600;
  const nodeSel = `<label>Nodes<select name="node"><option value="entity"${node === 'entity' ? ' selected' : ''}>actors</option><option value="country"${node === 'country' ? ' selected' : ''}>countries</option></select></label><label>Edges<input name="limit" type="number" class="narrow" value="${esc(limit)}"></label>`;
  let svg = '<p class="empty">No events with both a source and a target match.</p>';
  if (net.nodes.length) {
    const pos = layout(net.nodes, net.edges, W, H);
    const at = new Map(net.nodes.map((d, i) => [d.id, pos[i]]));
    const maxN = Math.max(1, ...net.nodes.map((d) => d.events));
    const maxE = Math.max(1, ...net.edges.map((e) => e.events));
    const radius = new Map(net.nodes.map((d) => [d.id, 4 + 12 * Math.sqrt(d.events / maxN)]));
    const edges = net.edges.map((e) => {
      const a = at.get(e.source), b0 = at.get(e.target);
      // End the line at the target's rim so that the arrowhead shows.
      const dx = b0.x - a.x, dy = b0.y - a.y, len = Math.sqrt(dx * dx + dy * dy) || 1;
      const cut = Math.min(len / 2, radius.get(e.target) + 2);
      const b = { x: b0.x - dx / len * cut, y: b0.y - dy / len * cut };
      return `<line x1="${a.x.toFixed(1)}" y1="${a.y.toFixed(1)}" x2="${b.x.toFixed(1)}" y2="${b.y.toFixed(1)}" stroke="${scoreColour(e.score)}" stroke-width="${(1 + 5 * Math.sqrt(e.events / maxE)).toFixed(1)}" stroke-opacity=".75" marker-end="url(#arrow)"><title>${esc(e.source)} → ${esc(e.target)}: ${e.events} events, score ${e.score}</title></line>`;
    }).join('');
    const nodes = net.nodes.map((d) => {
      const q = at.get(d.id), r = radius.get(d.id);
      const href = d.entity != null ? `#/entity/${d.entity}` : (node === 'country' ? `#/events?source_country=${encodeURIComponent(d.country)}` : `#/events?entity=${encodeURIComponent(d.label)}`);
      return `<a class="node" href="${href}" aria-label="${esc(d.label)}: ${d.events} events"><circle cx="${q.x.toFixed(1)}" cy="${q.y.toFixed(1)}" r="${r.toFixed(1)}" fill="#13294b"></circle><text x="${(q.x + r + 3).toFixed(1)}" y="${(q.y + 4).toFixed(1)}">${esc(d.label)}</text></a>`;
    }).join('');
    svg = `<div class="net"><svg viewBox="0 0 ${W} ${H}" role="img" aria-label="Actor network: ${net.nodes.length} nodes, ${net.edges.length} edges">
      <defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto"><path d="M0,0L10,5L0,10z" fill="#777"/></marker></defs>${edges}${nodes}</svg></div>`;
  }
  const label = (id) => { const n = net.nodes.find((d) => d.id === id); return n ? esc(n.label) : esc(id); };
  const table = `<details><summary>Edges as a table (${fmt(net.edges.length)} of ${fmt(net.total_edges)})</summary><table><thead><tr><th scope="col">Source</th><th scope="col">Target</th><th scope="col" class="num">Events</th><th scope="col" class="num">Score</th><th scope="col">Types</th></tr></thead><tbody>${net.edges.map((e) => `<tr><td>${label(e.source)}</td><td>${label(e.target)}</td><td class="num">${fmt(e.events)}</td><td class="num">${e.score.toFixed(2)}</td><td>${Object.entries(e.types).map(([t, n]) => `${esc(t)} ${n}`).join(', ')}</td></tr>`).join('')}</tbody></table></details>`;
  const scale = `<div class="legend" aria-hidden="true"><span><span class="sw" style="background:${scoreColour(1)}"></span>cooperation</span><span><span class="sw" style="background:${scoreColour(0)}"></span>mixed</span><span><span class="sw" style="background:${scoreColour(-1)}"></span>conflict</span><span>line width: events · arrow: source → target</span></div>`;
  setView(`<h1>Actor network</h1>${filterForm(p, nodeSel)}${scale}${svg}${table}`, 'Network');
  bindFilters('network');
}

// ---- map -------------------------------------------------------------------

async function mapView(p) {
  const filters = pick(p, EVENT_FILTERS);
  const page = await api('events', { ...filters, sort: '-date', limit: 1000 });
  const W = 960, H = 480;
  const X = (lon) => (lon + 180) / 360 * W, Y = (lat) => (90 - lat) / 180 * H;
  const places = new Map();
  let unplaced = 0;
  for (const e of page.items) {
    const l = e.location;
    if (!l || l.lat == null || l.lon == null) { unplaced++; continue; }
    const key = l.lat.toFixed(2) + ',' + l.lon.toFixed(2);
    const p2 = places.get(key) || { name: l.name, country: l.country, lat: l.lat, lon: l.lon, n: 0, quads: {} };
    p2.n++; p2.quads[e.quad_class] = (p2.quads[e.quad_class] || 0) + 1;
    places.set(key, p2);
  }
  let grid = '';
  for (let lon = -180; lon <= 180; lon += 30) grid += `<line class="grid" x1="${X(lon)}" x2="${X(lon)}" y1="0" y2="${H}"/>`;
  for (let lat = -60; lat <= 60; lat += 30) grid += `<line class="${lat === 0 ? 'grid eq' : 'grid'}" x1="0" x2="${W}" y1="${Y(lat)}" y2="${Y(lat)}"/>`;
  for (let lon = -150; lon <= 180; lon += 60) grid += `<text x="${X(lon) + 3}" y="${H - 4}">${lon}°</text>`;
  for (let lat = -60; lat <= 60; lat += 30) grid += `<text x="3" y="${Y(lat) - 3}">${lat}°</text>`;
  const list = [...places.values()].sort((a, b) => b.n - a.n);
  const maxN = Math.max(1, ...list.map((d) => d.n));
  const pts = list.map((d) => {
    const top = Object.entries(d.quads).sort((a, b) => b[1] - a[1])[0][0];
    const r = 3 + 10 * Math.sqrt(d.n / maxN);
    return `<a href="#/events?place=${encodeURIComponent(d.name)}" aria-label="${esc(d.name)}: ${d.n} events"><circle class="pt" cx="${X(d.lon).toFixed(1)}" cy="${Y(d.lat).toFixed(1)}" r="${r.toFixed(1)}" fill="${QUAD_COLOUR[top]}"><title>${esc(d.name)}: ${d.n} events</title></circle></a>`;
  }).join('');
  const table = `<details><summary>Places as a table (${fmt(list.length)})</summary><table><thead><tr><th scope="col">Place</th><th scope="col">Country</th><th scope="col" class="num">Lat.</th><th scope="col" class="num">Lon.</th><th scope="col" class="num">Events</th></tr></thead><tbody>${list.map((d) => `<tr><td><a href="#/events?place=${encodeURIComponent(d.name)}">${esc(d.name)}</a></td><td>${esc(d.country || '')}</td><td class="num">${d.lat.toFixed(2)}</td><td class="num">${d.lon.toFixed(2)}</td><td class="num">${fmt(d.n)}</td></tr>`).join('')}</tbody></table></details>`;
  const note = `<p class="small muted">${fmt(page.items.length)} of ${fmt(page.total)} matching events shown (the newest 1000); ${fmt(unplaced)} have no coordinates. Colour: the most frequent quad class at the place; equirectangular projection, 30° grid; land and borders from Natural Earth (public domain).</p>`;
  setView(`<h1>Map of event locations</h1>${filterForm(p)}${legend(QUADS, QUAD_COLOUR, QUAD_LABEL)}<div class="map"><svg viewBox="0 0 ${W} ${H}" role="img" aria-label="Map: ${list.length} places with events"><image class="land" href="/assets/world.svg" x="0" y="0" width="${W}" height="${H}" preserveAspectRatio="none"/>${grid}${pts}</svg></div>${note}${table}`, 'Map');
  bindFilters('map');
}

// ---- entities --------------------------------------------------------------

async function entitiesView(p) {
  const limit = 50;
  const offset = Math.max(0, parseInt(p.offset || '0', 10) || 0);
  const filters = pick(p, ['name', 'type', 'country', 'sector', 'role', 'min_documents']);
  const page = await api('entities', { ...filters, limit, offset });
  const ETYPES = ['PERSON', 'ORG', 'GPE', 'LOC', 'NORP', 'FAC', 'EVENT', 'MISC'];
  const input = (name, label, cls) => `<label>${label}<input name="${name}" value="${esc(p[name] || '')}"${cls ? ` class="${cls}"` : ''}></label>`;
  const form = `<form class="filters" id="filters" aria-label="Filters">${input('name', 'Name')}
    <label>Type<select name="type"><option value="">any</option>${ETYPES.map((t) => `<option${p.type === t ? ' selected' : ''}>${t}</option>`).join('')}</select></label>
    ${input('country', 'Country', 'narrow')}${input('sector', 'Sector', 'narrow')}${input('role', 'Role')}${input('min_documents', 'Min. articles', 'narrow')}
    <span class="actions"><button type="submit">Apply</button><button type="reset" class="secondary" id="clear">Clear</button></span></form>`;
  const rows = page.items.map((e) => `<tr><td><a href="#/entity/${e.id}">${esc(e.name)}</a></td><td>${esc(e.type)}</td><td>${esc(e.country || '')}</td><td>${esc(e.sector || '')}</td><td>${esc(e.roles.map((r) => r.role).join('; '))}</td><td class="num">${fmt(e.n_documents)}</td><td class="num">${fmt(e.n_mentions)}</td><td>${esc(e.first_seen || '')}</td><td>${esc(e.last_seen || '')}</td></tr>`).join('');
  const pager = `<nav class="pager" aria-label="Pages"><button type="button" id="prev"${offset <= 0 ? ' disabled' : ''}>Previous</button><span>${fmt(page.total ? offset + 1 : 0)}–${fmt(offset + page.items.length)} of ${fmt(page.total)}</span><button type="button" id="next"${offset + limit >= page.total ? ' disabled' : ''}>Next</button></nav>`;
  setView(`<h1>Entities</h1>${form}${pager}${page.items.length ? `<table><thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Country</th><th scope="col">Sector</th><th scope="col">Roles</th><th scope="col" class="num">Articles</th><th scope="col" class="num">Mentions</th><th scope="col">First seen</th><th scope="col">Last seen</th></tr></thead><tbody>${rows}</tbody></table>` : '<p class="empty">No entities match.</p>'}`, 'Entities');
  bindFilters('entities');
  document.getElementById('prev').addEventListener('click', () => go('entities', { ...filters, offset: Math.max(0, offset - limit) }));
  document.getElementById('next').addEventListener('click', () => go('entities', { ...filters, offset: offset + limit }));
}

function rolesChart(roles) {
  const dated = roles.filter((r) => r.first_seen);
  if (!dated.length) return '';
  const t = (d) => Date.parse(d.slice(0, 10));
  const lo = Math.min(...dated.map((r) => t(r.first_seen))), hi = Math.max(...dated.map((r) => t(r.last_seen || r.first_seen)));
  const W = 600, rowH = 20, L = 180, span = Math.max(864e5, hi - lo);
  const x = (d) => L + (W - L - 10) * (t(d) - lo) / span;
  const rows = dated.map((r, i) => `<text x="0" y="${i * rowH + 14}">${esc(r.role.slice(0, 28))}</text><rect x="${x(r.first_seen).toFixed(1)}" y="${i * rowH + 4}" width="${Math.max(4, x(r.last_seen || r.first_seen) - x(r.first_seen)).toFixed(1)}" height="12"><title>${esc(r.role)}: ${esc(r.first_seen)} to ${esc(r.last_seen || r.first_seen)}</title></rect>`).join('');
  return `<div class="roles chart"><svg viewBox="0 0 ${W} ${dated.length * rowH + 20}" role="img" aria-label="Roles over time">${rows}<text x="${L}" y="${dated.length * rowH + 16}">${esc(new Date(lo).toISOString().slice(0, 10))}</text><text x="${W - 10}" y="${dated.length * rowH + 16}" text-anchor="end">${esc(new Date(hi).toISOString().slice(0, 10))}</text></svg></div>`;
}

async function entityView(id) {
  const d = await api('entities/' + encodeURIComponent(id));
  const e = d.entity;
  const roles = e.roles.length ? `<table><thead><tr><th scope="col">Role</th><th scope="col">First seen</th><th scope="col">Last seen</th><th scope="col" class="num">Articles</th></tr></thead><tbody>${e.roles.map((r) => `<tr><td>${esc(r.role)}</td><td>${esc(r.first_seen || '–')}</td><td>${esc(r.last_seen || '–')}</td><td class="num">${fmt(r.n_documents)}</td></tr>`).join('')}</tbody></table>${rolesChart(e.roles)}` : '<p class="empty">No roles recorded.</p>';
  const quotes = d.quotes.length ? `<ul class="plain">${d.quotes.slice().reverse().map((q) => `<li><blockquote>${esc(q.text)}</blockquote><p class="small muted">${esc(q.kind)} · ${esc(q.source || '')}${q.published ? ', ' + esc(q.published) : ''} · <a href="#/document/${encodeURIComponent(q.document)}">article</a></p></li>`).join('')}</ul>` : '<p class="empty">No quotes attributed.</p>';
  setView(`<h1>${esc(e.name)} <span class="muted small">${esc(e.type)}</span></h1>
  <dl class="kv"><dt>Country</dt><dd>${esc(e.country || '–')}</dd><dt>Sector</dt><dd>${esc(e.sector || '–')}</dd>
  <dt>Also called</dt><dd>${esc(e.aliases.join('; ') || '–')}</dd>
  <dt>Seen</dt><dd>${count(e.n_mentions, 'mention')} in ${count(e.n_documents, 'article')}, ${esc(e.first_seen || '?')} to ${esc(e.last_seen || '?')}</dd>
  <dt>Events</dt><dd>${fmt(d.n_events)} (<a href="#/events?entity_id=${e.id}">all in the event table</a> · <a href="#/network?entity_id=${e.id}">network</a>)</dd></dl>
  <h2>Roles over time</h2>${roles}
  <h2>Events as source (${fmt(d.events_as_source.length)})</h2>${eventRows(d.events_as_source)}
  <h2>Events as target (${fmt(d.events_as_target.length)})</h2>${eventRows(d.events_as_target)}
  <h2>Quotes (${fmt(d.n_quotes)})</h2>${quotes}`, e.name);
}

async function quotesView(p) {
  const limit = 50;
  const offset = Math.max(0, parseInt(p.offset || '0', 10) || 0);
  const filters = pick(p, ['speaker', 'q', 'kind', 'from', 'to', 'source']);
  const page = await api('quotes', { ...filters, limit, offset });
  const input = (name, label, type) => `<label>${label}<input name="${name}" type="${type || 'text'}" value="${esc(p[name] || '')}"></label>`;
  const form = `<form class="filters" id="filters" aria-label="Filters">${input('speaker', 'Speaker')}${input('q', 'Words')}
    <label>Kind<select name="kind"><option value="">any</option>${['direct', 'indirect', 'mixed'].map((k) => `<option${p.kind === k ? ' selected' : ''}>${k}</option>`).join('')}</select></label>
    ${input('from', 'From', 'date')}${input('to', 'To', 'date')}${input('source', 'Outlet')}
    <span class="actions"><button type="submit">Apply</button><button type="reset" class="secondary" id="clear">Clear</button></span></form>`;
  const pager = `<nav class="pager" aria-label="Pages"><button type="button" id="prev"${offset <= 0 ? ' disabled' : ''}>Previous</button><span>${fmt(page.total ? offset + 1 : 0)}–${fmt(offset + page.items.length)} of ${fmt(page.total)}</span><button type="button" id="next"${offset + limit >= page.total ? ' disabled' : ''}>Next</button></nav>`;
  const list = page.items.length ? `<ul class="plain">${page.items.map((q) => `<li><blockquote>${esc(q.text)}</blockquote><p class="small muted">${q.speaker != null ? `<a href="#/entity/${q.speaker}">${esc(q.speaker_name)}</a>` : esc(q.speaker_name || 'unattributed')} · ${esc(q.kind)} · ${esc(q.source || '')}${q.published ? ', ' + esc(q.published) : ''} · <a href="#/document/${encodeURIComponent(q.document)}">article</a></p></li>`).join('')}</ul>` : '<p class="empty">No quotes match.</p>';
  setView(`<h1>Quotes</h1>${form}${pager}${list}`, 'Quotes');
  bindFilters('quotes');
  document.getElementById('prev').addEventListener('click', () => go('quotes', { ...filters, offset: Math.max(0, offset - limit) }));
  document.getElementById('next').addEventListener('click', () => go('quotes', { ...filters, offset: offset + limit }));
}

// ---- documents -------------------------------------------------------------

/**
 * The article text with every annotation layer as nested-free segments:
 * the text is cut at every span boundary and each piece carries the classes
 * of the spans covering it. Offsets are characters (code points).
 */
function annotatedText(doc) {
  const chars = Array.from(doc.text);
  const spans = [];
  doc.entities.forEach((e) => e.mentions.forEach((m) => spans.push({ s: m.start, e: m.end, cls: 'ent', title: `${e.id} ${e.name} (${e.type}${e.country ? ', ' + e.country : ''})` })));
  doc.times.forEach((t) => spans.push({ s: t.start, e: t.end, cls: 'time', title: `${t.type} ${t.value || ''}` }));
  doc.quotes.forEach((q) => spans.push({ s: q.start, e: q.end, cls: 'quote', title: `${q.kind} quote${q.speaker ? ' by ' + q.speaker : ''}` }));
  doc.events.forEach((v) => spans.push({ s: v.trigger.start, e: v.trigger.end, cls: 'trig', title: `${v.id} ${v.type}` , ev: v.id }));
  const cuts = new Set([0, chars.length]);
  for (const sp of spans) { cuts.add(Math.max(0, Math.min(chars.length, sp.s))); cuts.add(Math.max(0, Math.min(chars.length, sp.e))); }
  const points = [...cuts].sort((a, b) => a - b);
  let html = '';
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i], b = points[i + 1];
    const text = esc(chars.slice(a, b).join(''));
    const cover = spans.filter((sp) => sp.s <= a && sp.e >= b);
    if (!cover.length) { html += `<span data-s="${a}" data-e="${b}">${text}</span>`; continue; }
    const cls = [...new Set(cover.map((c) => c.cls))].join(' ');
    const title = cover.map((c) => c.title).join(' · ');
    const ev = cover.find((c) => c.ev);
    html += `<span class="${cls}" data-s="${a}" data-e="${b}" title="${esc(title)}"${ev ? ` data-ev="${esc(ev.ev)}"` : ''}>${text}</span>`;
  }
  return html;
}

function spanButton(label, start, end) {
  return `<button type="button" class="linkbtn" data-s="${start}" data-e="${end}" title="Show in the text">${esc(label)}</button>`;
}

function eventCard(doc, v, corpusId) {
  const actors = (list) => (list.length ? list.map((a) => spanButton(a.text + ([a.country, a.sector].filter(Boolean).length ? ` [${[a.country, a.sector].filter(Boolean).join(' ')}]` : ''), a.start, a.end)).join(', ') : '–');
  const s = doc.sentences.find((x) => x.start <= v.trigger.start && x.end >= v.trigger.end) || v.sentence;
  const rows = [
    ['Trigger', spanButton(v.trigger.text, v.trigger.start, v.trigger.end)],
    ['Source', actors(v.source)],
    ['Target', actors(v.target)],
    ['Date', v.time ? spanButton(`${v.time.text} → ${v.date || v.time.value || '?'}`, v.time.start, v.time.end) : esc(v.date || '–')],
    ['Place', v.location ? spanButton(v.location.name + (v.location.country ? ` (${v.location.country})` : ''), v.location.start, v.location.end) : '–'],
    ['Modality', esc(v.modality)],
    ['Sentence', s ? spanButton('whole sentence', s.start, s.end) : '–'],
    ['Confidence', `${Number(v.confidence).toFixed(2)} · ${esc(v.rule)}`],
  ];
  const quad = { AGREE: 0, CONSULT: 0, SUPPORT: 0, CONCEDE: 0, COOPERATE: 1, AID: 1, RETREAT: 1, REQUEST: 2, ACCUSE: 2, REJECT: 2, THREATEN: 2, SANCTION: 2, PROTEST: 3, MOBILIZE: 3, COERCE: 3, ASSAULT: 3 }[v.type];
  return `<article class="evcard" id="card-${esc(v.id)}" aria-label="Event ${esc(v.id)}"><strong>${esc(v.id)}</strong> <span class="badge q-${QUADS[quad]}">${esc(v.type)}</span>${v.mode ? ` <span class="small muted">${esc(v.mode)}</span>` : ''}${corpusId != null ? ` · <a class="small" href="#/event/${corpusId}">corpus event ${corpusId}</a>` : ''}
  <dl>${rows.map(([k, val]) => `<dt>${k}</dt><dd>${val}</dd>`).join('')}</dl></article>`;
}

function renderDocument(doc, focusEvent) {
  const corpus = doc.corpus || { entities: {}, events: {} };
  const layers = [['ent', 'Entities', doc.entities.reduce((n, e) => n + e.mentions.length, 0)], ['time', 'Times', doc.times.length], ['quote', 'Quotes', doc.quotes.length], ['trig', 'Event triggers', doc.events.length]];
  const toggles = `<fieldset class="legend"><legend class="sr-only">Highlight layers</legend>${layers.map(([k, l, n]) => `<label><input type="checkbox" data-layer="${k}" checked> <span class="sw sw-${k}"></span>${l} (${n})</label>`).join('')}</fieldset>`;
  const ents = doc.entities.length ? `<ul class="plain small">${doc.entities.map((e) => {
    const cid = corpus.entities[e.id];
    const first = e.mentions[0];
    return `<li>${first ? spanButton(e.name, first.start, first.end) : esc(e.name)} <span class="muted">${esc(e.type)}${e.country ? ' ' + esc(e.country) : ''}${e.sector ? ' ' + esc(e.sector) : ''} · ${e.mentions.length}×</span>${cid != null ? ` · <a href="#/entity/${cid}">entity page</a>` : ''}</li>`;
  }).join('')}</ul>` : '<p class="empty">No entities.</p>';
  const quotes = doc.quotes.length ? `<ul class="plain small">${doc.quotes.map((q) => `<li>${spanButton(q.text.length > 80 ? q.text.slice(0, 77) + '…' : q.text, q.start, q.end)} <span class="muted">${esc(q.kind)}${q.speaker_mention ? ' · ' : ''}</span>${q.speaker_mention ? spanButton(q.speaker_mention.text, q.speaker_mention.start, q.speaker_mention.end) : ''}</li>`).join('')}</ul>` : '<p class="empty">No quotes.</p>';
  const events = doc.events.length ? doc.events.map((v) => eventCard(doc, v, corpus.events[v.id])).join('') : '<p class="empty">No events extracted from this article.</p>';
  const meta = [doc.source, doc.published, doc.language].filter(Boolean).map(esc).join(' · ');
  return `<h1>${esc(doc.title || doc.id)}</h1>
  <p class="muted">${meta}${safeUrl(doc.url) ? ` · <a href="${esc(safeUrl(doc.url))}" rel="noreferrer noopener">original</a>` : ''} · <span class="small">id ${esc(doc.id)}</span></p>
  ${doc.warnings && doc.warnings.length ? `<p class="small muted">Warnings: ${doc.warnings.map(esc).join('; ')}</p>` : ''}
  ${toggles}
  <div class="doc"><div class="doctext" id="doctext">${annotatedText(doc)}</div>
  <aside class="side" aria-label="Annotations"><h2>Events (${doc.events.length})</h2><p class="small muted">Each field links to the words it came from.</p>${events}
  <h2>Entities (${doc.entities.length})</h2>${ents}<h2>Quotes (${doc.quotes.length})</h2>${quotes}</aside></div>`;
}

function flash(start, end) {
  const text = document.getElementById('doctext');
  if (!text) return;
  text.querySelectorAll('.flash').forEach((x) => x.classList.remove('flash'));
  let first = null;
  text.querySelectorAll('span[data-s]').forEach((x) => {
    const a = +x.dataset.s, b = +x.dataset.e;
    if (a >= start && b <= end && b > a) { x.classList.add('flash'); if (!first) first = x; }
  });
  if (first) {
    first.scrollIntoView({ block: 'center', behavior: 'smooth' });
    first.setAttribute('tabindex', '-1');
    first.focus({ preventScroll: true });
  }
}

function bindDocument(doc, focusEvent) {
  const v = view();
  v.querySelectorAll('[data-layer]').forEach((box) => box.addEventListener('change', () => {
    document.getElementById('doctext').classList.toggle('hide-' + box.dataset.layer, !box.checked);
  }));
  v.querySelectorAll('button.linkbtn').forEach((b) => b.addEventListener('click', () => flash(+b.dataset.s, +b.dataset.e)));
  v.querySelectorAll('#doctext [data-ev]').forEach((sp) => sp.addEventListener('click', () => {
    const card = document.getElementById('card-' + sp.dataset.ev);
    if (card) { card.scrollIntoView({ block: 'nearest' }); card.querySelector('button') && card.querySelector('button').focus(); }
  }));
  if (focusEvent) {
    const local = Object.entries((doc.corpus || {}).events || {}).find(([, c]) => String(c) === String(focusEvent));
    const ev = local && doc.events.find((x) => x.id === local[0]);
    if (ev) {
      flash(ev.trigger.start, ev.trigger.end);
      const card = document.getElementById('card-' + ev.id);
      if (card) card.scrollIntoView({ block: 'nearest' });
    }
  }
}

async function documentView(id, p) {
  const doc = await api('documents/' + encodeURIComponent(id));
  setView(renderDocument(doc), doc.title || doc.id);
  bindDocument(doc, p.event);
}

// ---- search and extract ----------------------------------------------------

async function searchView(p) {
  const q = p.q || '';
  document.getElementById('search-q').value = q;
  if (!q.trim()) { setView('<h1>Search</h1><p>Type words in the search box above.</p>', 'Search'); return; }
  const r = await api('search', { q, limit: 50 });
  const ents = r.entities.length ? `<ul class="plain">${r.entities.map((e) => `<li><a href="#/entity/${e.id}">${esc(e.name)}</a> <span class="muted small">${esc(e.type)} ${esc(e.country || '')} · ${count(e.n_documents, 'article')}</span></li>`).join('')}</ul>` : '<p class="empty">No entities by that name.</p>';
  const docs = r.documents.length ? `<ul class="plain">${r.documents.map((d) => `<li><a href="#/document/${encodeURIComponent(d.id)}">${esc(d.title || d.id)}</a> <span class="muted small">${esc(d.source || '')} ${esc(d.published || '')}</span><p class="snippet">${esc(d.snippet)}</p></li>`).join('')}</ul>` : '<p class="empty">No articles contain all these words.</p>';
  setView(`<h1>Search: ${esc(q)}</h1><div class="grid2"><section><h2>Articles (${fmt(r.total)})</h2>${docs}</section><section><h2>Entities</h2>${ents}<p><a href="#/events?q=${encodeURIComponent(q)}">Events reported in matching articles</a></p></section></div>`, 'Search');
}

function extractView() {
  setView(`<h1>Try an article</h1>
  <p class="muted">Runs the pipeline on pasted text and shows what it finds. Nothing is stored.</p>
  <form id="extract-form" class="panel">
    <p><label for="x-title">Title (optional)</label><br><input id="x-title" name="title" size="60"></p>
    <p><label for="x-date">Publication date (resolves “on Tuesday”)</label><br><input id="x-date" name="date" type="date"></p>
    <p><label for="x-text">Article text</label><br><textarea id="x-text" name="text" required></textarea></p>
    <p><button type="submit">Extract</button> <span id="x-status" role="status"></span></p>
  </form><div id="x-out"></div>`, 'Try an article');
  const form = document.getElementById('extract-form');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = readForm(form);
    const status = document.getElementById('x-status');
    status.textContent = 'Working…';
    try {
      const res = await apiFetch('/api/extract', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(f) });
      const body = await res.json();
      if (!res.ok) throw new ApiError(body.error ? body.error.message : res.statusText);
      status.textContent = '';
      document.getElementById('x-out').innerHTML = renderDocument(body);
      bindDocument(body);
    } catch (e) {
      status.textContent = '';
      document.getElementById('x-out').innerHTML = `<p class="error" role="alert">${esc(e.message)}</p>`;
    }
  });
}

// ---- router ----------------------------------------------------------------

async function route() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, qs] = hash.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const p = Object.fromEntries(new URLSearchParams(qs || ''));
  const name = parts[0] || 'dashboard';
  document.querySelectorAll('[data-nav]').forEach((a) => {
    if (a.dataset.nav === name) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
  setView('<p class="muted">Loading…</p>');
  // `data-ready` names the route whose view is on screen (tests wait for it).
  delete view().dataset.ready;
  try {
    switch (name) {
      case 'dashboard': await dashboard(); break;
      case 'events': await eventsView(p); break;
      case 'event': await eventView(parts[1]); break;
      case 'network': await networkView(p); break;
      case 'map': await mapView(p); break;
      case 'entities': await entitiesView(p); break;
      case 'entity': await entityView(parts[1]); break;
      case 'quotes': await quotesView(p); break;
      case 'document': await documentView(parts.slice(1).join('/'), p); break;
      case 'search': await searchView(p); break;
      case 'extract': extractView(); break;
      default: setView('<h1>Not found</h1><p>No such view. <a href="#/">Back to the dashboard</a>.</p>', 'Not found');
    }
  } catch (e) {
    showError(e);
  }
  if (location.hash.replace(/^#\/?/, '') === hash) view().dataset.ready = hash;
}

document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('search-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    go('search', { q: document.getElementById('search-q').value });
  });
  window.addEventListener('hashchange', () => { route(); view().focus({ preventScroll: true }); });
  route();
});
