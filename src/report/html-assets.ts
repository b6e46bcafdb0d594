import { createHash } from 'node:crypto';

/**
 * The one script of the HTML report: filters and sorting for the rule list, and the summary's links
 * that set a filter. The page is whole without it: the filter bar stays hidden and the rules keep
 * their static order, failing rules first. Plain ES2015 so any browser a reviewer has runs it.
 */
export const PAGE_SCRIPT = `
(function () {
  'use strict';
  var doc = document;
  var list = doc.getElementById('rule-rows');
  var form = doc.getElementById('rule-filters');
  if (!list || !form) return;
  doc.documentElement.classList.add('js');
  form.hidden = false;
  var field = function (id) { return doc.getElementById(id); };
  var text = field('filter-text'), state = field('filter-status'), source = field('filter-source');
  var level = field('filter-level'), check = field('filter-check'), count = field('filter-count'), none = field('no-match');
  var items = Array.prototype.map.call(list.children, function (row, index) {
    var parts = row.querySelectorAll('summary .title, summary .file, summary .why, summary [data-col="logsource"]');
    var words = Array.prototype.map.call(parts, function (part) { return part.textContent; });
    words.push(row.getAttribute('data-search') || '');
    return { row: row, index: index, text: words.join(' ').toLowerCase(), keys: {} };
  });
  var sorting = { key: '', direction: 1, label: '' };
  var total = items.length;

  function has(list, word) { return (' ' + (list || '') + ' ').indexOf(' ' + word + ' ') >= 0; }
  function matches(item) {
    var row = item.row;
    var words = text.value.toLowerCase().split(/\\s+/).filter(Boolean);
    for (var i = 0; i < words.length; i += 1) if (item.text.indexOf(words[i]) < 0) return false;
    if (state.value && !has(row.getAttribute('data-states'), state.value)) return false;
    if (source.value && row.getAttribute('data-source') !== source.value) return false;
    if (level.value && row.getAttribute('data-level') !== level.value) return false;
    if (check.value && !has(row.getAttribute('data-failed'), check.value)) return false;
    return true;
  }
  function apply() {
    var shown = 0;
    items.forEach(function (item) {
      var visible = matches(item);
      // Only rows that change are touched: a pack of thousands re-renders no more than it must.
      if (item.row.hidden === visible) item.row.hidden = !visible;
      if (visible) shown += 1;
    });
    none.hidden = shown > 0;
    count.textContent = shown + ' of ' + total + ' shown';
  }

  function keyOf(item, key, numeric) {
    if (!(key in item.keys)) {
      var cell = item.row.querySelector('summary [data-col="' + key + '"]');
      var raw = cell ? (cell.hasAttribute('data-value') ? cell.getAttribute('data-value') : cell.textContent) : '';
      item.keys[key] = numeric ? Number(raw) : String(raw).toLowerCase();
    }
    return item.keys[key];
  }
  function sortBy(header) {
    var key = header.getAttribute('data-sort');
    var numeric = header.getAttribute('data-kind') === 'number';
    sorting.direction = sorting.key === key ? -sorting.direction : 1;
    sorting.key = key;
    sorting.label = header.getAttribute('data-label') || key;
    var direction = sorting.direction;
    var moved = doc.createDocumentFragment();
    items.slice().sort(function (a, b) {
      var x = keyOf(a, key, numeric), y = keyOf(b, key, numeric);
      // Ties keep the static order (failing first), whichever way the column sorts.
      return x < y ? -direction : x > y ? direction : a.index - b.index;
    }).forEach(function (item) { moved.appendChild(item.row); });
    // Emptied first: Chromium moves thousands of rows within one parent slowly (seconds), but
    // removes them at once and appends a fragment quickly (a tenth of a second for 3,000 rules).
    list.textContent = '';
    list.appendChild(moved);
    Array.prototype.forEach.call(doc.querySelectorAll('#rule-list [data-sort]'), function (other) {
      other.removeAttribute('data-sorted');
      other.firstChild.removeAttribute('aria-label');
    });
    header.setAttribute('data-sorted', direction > 0 ? 'ascending' : 'descending');
    header.firstChild.setAttribute('aria-label', sorting.label + ', sorted ' + (direction > 0 ? 'ascending' : 'descending'));
    apply();
  }
  Array.prototype.forEach.call(doc.querySelectorAll('#rule-list [data-sort]'), function (header) {
    var button = doc.createElement('button');
    button.type = 'button';
    button.className = 'sort';
    button.title = 'Sort by ' + (header.getAttribute('data-label') || '') + '; again to reverse';
    while (header.firstChild) button.appendChild(header.firstChild);
    header.appendChild(button);
    button.addEventListener('click', function () { sortBy(header); });
  });

  function setFilter(spec) {
    var at = spec.indexOf('=');
    var target = field('filter-' + spec.slice(0, at));
    if (!target) return;
    form.reset();
    target.value = spec.slice(at + 1);
    apply();
  }
  Array.prototype.forEach.call(doc.querySelectorAll('[data-filter]'), function (link) {
    link.addEventListener('click', function () { setFilter(link.getAttribute('data-filter')); });
  });
  // Typing waits for a pause before filtering, so each key stays quick in a pack of thousands of rules.
  var typing = 0;
  form.addEventListener('input', function (event) {
    clearTimeout(typing);
    if (event.target === text) typing = setTimeout(apply, 120);
    else apply();
  });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    clearTimeout(typing);
    apply();
  });
  form.addEventListener('reset', function () { setTimeout(apply, 0); });
  field('open-shown').addEventListener('click', function () {
    items.forEach(function (item) { if (!item.row.hidden) item.row.open = true; });
  });
  field('close-all').addEventListener('click', function () {
    items.forEach(function (item) { item.row.open = false; });
  });
  apply();
})();
`;

/** The page's Content-Security-Policy: nothing loads, and only `PAGE_SCRIPT` (by its hash) runs. */
// 'unsafe-inline' for styles is needed by the bars' widths and the list's column template; nothing can
// load. The policy is a constant without `"`, `<` or `&`, so it is written into its attribute unescaped.
export const PAGE_CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  `script-src 'sha256-${createHash('sha256').update(PAGE_SCRIPT).digest('base64')}'`,
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * The page's style. Every table sits in a `.table-box` that scrolls sideways when the table cannot
 * fit, and long unbroken text (paths, command lines, base64) may break anywhere, so the page itself
 * never grows wider than the window.
 */
export const PAGE_STYLE = `
:root { color-scheme: light; --pass: #1a7f37; --fail: #cf222e; --skip: #9a6700; --line: #d0d7de; --muted: #57606a; --soft: #f6f8fa; --focus: #0969da; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html { scroll-padding-top: 8rem; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 0 auto; max-width: 1440px; padding: .8rem 2rem 3rem; color: #1f2328; overflow-wrap: break-word; }
td, .facts dd, .rule-body p, .failure h4 { overflow-wrap: anywhere; }
@media (max-width: 900px) { body { padding: .6rem .8rem 2rem; } }
h1 { font-size: 1.5rem; margin: .2rem 0; overflow-wrap: normal; } h2 { font-size: 1.25rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; margin: 1.4rem 0 .5rem; }
h2 + p.muted { margin: 0 0 .4rem; } h3 { font-size: 1rem; margin: .6rem 0 .4rem; }
a { color: var(--focus); } :focus-visible { outline: 2px solid var(--focus); outline-offset: 1px; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Consolas, "Liberation Mono", monospace; font-size: .92em; }
.muted, .file { color: var(--muted); font-size: .85em; }
header .line { display: flex; flex-wrap: wrap; align-items: center; gap: .3rem 1rem; margin: .2rem 0; }
header h1 { flex: 1 1 auto; } nav.toc { font-size: .9rem; }
nav.toc a { margin-right: .9rem; }
.verdict { display: inline-block; font-weight: 700; padding: .1rem .7rem; border-radius: 1rem; color: #fff; }
.verdict.pass { background: var(--pass); } .verdict.fail { background: var(--fail); }
.tiles { display: flex; flex-wrap: wrap; gap: .6rem; margin: .8rem 0; }
.tile { display: block; min-width: 8.5rem; padding: .3rem .8rem; border: 1px solid var(--line); border-radius: .4rem; color: inherit; text-decoration: none; background: #fff; }
.tile strong { display: block; font-size: 1.45rem; line-height: 1.15; font-variant-numeric: tabular-nums; }
.tile.fail { border-left: 5px solid var(--fail); } .tile.fail strong { color: var(--fail); } .tile.pass { border-left: 5px solid var(--pass); } .tile.gaps { border-left: 5px solid var(--skip); }
.tile:hover { background: var(--soft); }
.summary-grid { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); gap: 1.2rem; }
@media (max-width: 1000px) { .summary-grid { grid-template-columns: minmax(0, 1fr); } }
.table-box { max-width: 100%; overflow-x: auto; margin: .4rem 0 .8rem; }
.table-box.tall { max-height: 20rem; overflow-y: auto; }
#summary table { font-size: .85rem; } #summary th, #summary td { padding: .15rem .5rem; } #summary .table-box.tall { max-height: 11.5rem; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th { background: var(--soft); } .tall thead th { position: sticky; top: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; } td.zero { color: var(--muted); }
td.bad { color: var(--fail); font-weight: 600; }
.status.pass, .pass-text { color: var(--pass); font-weight: 600; } .status.fail, .fail-text { color: var(--fail); font-weight: 600; } .status.skipped { color: var(--skip); font-weight: 600; }
.bar { width: 3.6rem; height: .6rem; background: #eaeef2; border-radius: .3rem; overflow: hidden; display: inline-block; vertical-align: middle; }
.fill { display: block; height: 100%; background: var(--pass); } .fill.low { background: var(--skip); } .fill.none { background: var(--fail); }
/* The rule list: one details element per rule whose summary is a row of the grid the header shares; the
   filter bar and the header stay in view while the rows scroll. */
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.list-top { position: sticky; top: 0; z-index: 3; background: #fff; padding-top: .3rem; }
.filters { display: flex; flex-wrap: wrap; align-items: center; gap: .4rem .5rem; padding: .4rem .5rem; background: var(--soft); border: 1px solid var(--line); border-radius: .4rem .4rem 0 0; }
.filters input, .filters select, .filters button { font: inherit; font-size: .85rem; padding: .15rem .35rem; border: 1px solid var(--line); border-radius: .3rem; background: #fff; color: inherit; }
.filters input[type=search] { width: 9rem; } .filters select { max-width: 9rem; } .filters #filter-status { max-width: 10.5rem; }
.filters button { cursor: pointer; } .filters button:hover { background: var(--soft); }
.filters output { margin-left: auto; font-size: .8rem; color: var(--muted); white-space: nowrap; }
.rule-head, .rule > summary { display: grid; grid-template-columns: var(--columns); align-items: start; }
.rule-head { align-items: end; border: 1px solid var(--line); border-width: 0 0 2px; background: var(--soft); font-weight: 600; font-size: .8rem; }
.rule-head > span { padding: .25rem .4rem; }
.rule-head .sort { all: unset; cursor: pointer; display: inline-block; }
.rule-head .sort:hover { color: var(--focus); } .rule-head .sort:focus-visible { outline: 2px solid var(--focus); }
.rule-head [data-sorted=ascending] .sort::after { content: " ▲"; } .rule-head [data-sorted=descending] .sort::after { content: " ▼"; }
.rule-head .vertical { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; font-size: .75rem; font-weight: 600; }
.rule-head > span:has(.vertical) { justify-self: center; padding: .3rem 0; }
/* Below a laptop's width the list scrolls sideways in its own box (and its header no longer sticks). */
@media (max-width: 1000px) { .rule-list { overflow-x: auto; } .list-top, #rule-rows, #no-match { min-width: 60rem; } .list-top { position: static; } }
.rule { border-bottom: 1px solid var(--line); content-visibility: auto; contain-intrinsic-size: auto 3rem; }
.rule > summary { cursor: pointer; list-style: none; padding: .1rem 0; }
.rule > summary::-webkit-details-marker { display: none; }
.rule > summary:hover { background: var(--soft); }
.rule > summary > span { padding: .25rem .4rem; min-width: 0; }
.rule.failed > summary { background: #fff5f5; } .rule.failed > summary:hover { background: #ffebe9; }
.rule[open] > summary { background: #eef4ff; }
.rule > summary .title { font-weight: 600; }
.rule > summary .title::before { content: "▸ "; color: var(--muted); } .rule[open] > summary .title::before { content: "▾ "; }
.rule > summary .file { display: block; }
.rule > summary .why { display: block; color: var(--fail); font-size: .85em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.tag { display: inline-block; font-size: .72em; font-weight: 400; padding: 0 .4rem; margin: 0 .2rem 0 0; vertical-align: 1px; border-radius: .6rem; border: 1px solid currentColor; }
.tag.gap { color: var(--skip); } .tag.gap.fails, .tag.fails { color: var(--fail); }
.rule > summary .num { text-align: right; font-variant-numeric: tabular-nums; }
.rule > summary .mark { justify-self: center; width: 1.35rem; height: 1.35rem; padding: 0; margin-top: .2rem; line-height: 1.35rem; text-align: center; font-size: .8rem; font-weight: 700; border-radius: .25rem; }
.mark.pass { color: var(--pass); background: #dafbe1; } .mark.fail { color: #fff; background: var(--fail); } .mark.skipped { color: var(--skip); background: #fff8c5; } .mark.absent { color: var(--muted); }
.status .note { display: block; font-size: .75rem; font-weight: 400; white-space: nowrap; }
.rule-body { padding: .4rem 1rem 1rem 1.6rem; border-left: 4px solid var(--line); margin: 0 0 .6rem .4rem; }
.rule.failed .rule-body { border-left-color: var(--fail); }
.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .15rem 1rem; margin: .4rem 0 .8rem; }
.facts dt { color: var(--muted); } .facts dd { margin: 0; }
.failure { border: 1px solid var(--line); border-left: 4px solid var(--fail); border-radius: .3rem; padding: .3rem .8rem; margin: .6rem 0; }
.failure h4 { margin: .2rem 0; font-size: .9rem; font-weight: 600; }
pre { background: var(--soft); padding: .6rem; overflow-x: auto; white-space: pre-wrap; word-break: break-word; max-height: 30rem; overflow-y: auto; }
pre .got { color: var(--fail); font-weight: 600; } pre .expected { color: var(--pass); font-weight: 600; }
table.cases, table.inputs { font-size: .85rem; table-layout: fixed; min-width: 40rem; }
col.w-mark { width: 2rem; } col.w-event { width: 13rem; } col.w-source { width: 9.5rem; } col.w-verdict { width: 6.2rem; } col.w-notes { width: 14rem; }
col.w-count { width: 7rem; } col.w-how { width: 16rem; } col.w-line { width: 3.6rem; } col.w-mutant { width: 24rem; }
table.cases tr.fail td { background: #fff5f5; }
.sev-error { color: var(--fail); font-weight: 600; } .sev-warning { color: var(--skip); font-weight: 600; }
details.diagnostics > summary { cursor: pointer; padding: .25rem 0; }
.matrix { display: flex; gap: .3rem; overflow-x: auto; padding-bottom: .5rem; }
.tactic { flex: 1 0 7.5rem; min-width: 7.5rem; } .tactic h3 { font-size: .8rem; margin: 0 0 .3rem; padding: .3rem; background: var(--soft); border: 1px solid var(--line); min-height: 3.2rem; }
.cell { font-size: .75rem; border: 1px solid var(--line); border-radius: .25rem; padding: .25rem; margin-bottom: .25rem; word-break: break-word; }
.cell .count { float: right; font-weight: 700; } .cell.unknown { border-style: dashed; }
.cell.failing { border: 2px solid var(--fail); } .failing-mark { color: var(--fail); font-weight: 700; background: #fff; border-radius: .2rem; padding: 0 .2rem; display: inline-block; margin-top: .15rem; }
.heat-1 { background: #dbeafe; } .heat-2 { background: #93c5fd; } .heat-3 { background: #60a5fa; } .heat-4 { background: #2563eb; color: #fff; } .heat-5 { background: #1e3a8a; color: #fff; }
.legend span { display: inline-block; padding: 0 .5rem; margin-right: .2rem; border-radius: .2rem; font-size: .8em; }
`;
