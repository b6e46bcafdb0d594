import { buildAttackMatrix, type MatrixCell } from './attack.js';
import { escapeHtml } from './escape.js';
import type { AttackCatalog } from '../attack/catalog.js';
import type { RuleReport } from '../harness/test-report.js';

/** The ATT&CK section: tactic columns in kill-chain order, one cell per technique the pack's tags name. */
export function renderAttackSection(rules: readonly RuleReport[], attack: AttackCatalog | undefined): string {
  const matrix = buildAttackMatrix(rules, attack);
  const version = matrix.attackVersion === undefined ? 'names unavailable' : `ATT&CK Enterprise v${matrix.attackVersion}`;
  const techniques = new Set(matrix.columns.flatMap((c) => c.cells.map((cell) => cell.techniqueId)));
  const columns = matrix.columns.map(
    (column) => `<div class="tactic" data-tactic="${escapeHtml(column.shortname)}">
<h3>${escapeHtml(column.name)}</h3>
${column.cells.map((cell) => renderCell(cell, matrix.maxRules)).join('\n')}
</div>`,
  );
  const unplaced =
    matrix.unplaced.length === 0
      ? ''
      : `<p>Technique tags not placed under any tactic (unknown to this ATT&CK version and no tactic tag): ${matrix.unplaced
          .map((cell) => `<code>${escapeHtml(cell.techniqueId)}</code> (${cell.rules.map((r) => escapeHtml(r.title)).join(', ')})`)
          .join('; ')}</p>`;
  const legend = [1, 2, 3, 4, 5]
    .map((level) => [level, describeLevel(level, matrix.maxRules)] as const)
    .filter(([, label]) => label !== undefined)
    .map(([level, label]) => `<span class="heat-${level}">${label}</span>`)
    .join('');
  return `<section id="attack-section">
<h2>ATT&amp;CK coverage</h2>
<p class="muted">${escapeHtml(version)} · ${techniques.size} techniques named by the pack's tags · colour = number of rules covering the technique under that tactic</p>
<p class="legend">${matrix.maxRules === 0 ? '' : legend}</p>
<div class="matrix" id="attack-matrix">
${columns.join('\n')}
</div>
${unplaced}
</section>`;
}

function renderCell(cell: MatrixCell, maxRules: number): string {
  const count = cell.rules.length;
  const level = computeHeatLevel(count, maxRules);
  const rules = cell.rules.map((r) => `${r.title}${r.passed ? '' : ' (failing)'}`).join('\n');
  const name = cell.name ?? 'not in this ATT&CK version';
  const failing = cell.rules.filter((r) => !r.passed).length;
  // A technique some failing rule claims is marked on the map itself, not only in its tooltip: its
  // coverage is not what the count says until the rule passes.
  const mark = failing === 0 ? '' : `<div class="failing-mark">✘ ${failing} failing</div>`;
  return `<div class="cell heat-${level}${cell.unknown ? ' unknown' : ''}${failing > 0 ? ' failing' : ''}" data-technique="${escapeHtml(cell.techniqueId)}" data-count="${count}" data-failing="${failing}" data-level="${level}" title="${escapeHtml(`${cell.techniqueId} ${name}\n${rules}`)}"><span class="count">${count}</span><strong>${escapeHtml(cell.techniqueId)}</strong><br>${escapeHtml(name)}${mark}</div>`;
}

/** Maps a cell's rule count onto five colour steps, relative to the busiest cell of the pack. */
export function computeHeatLevel(count: number, maxRules: number): number {
  if (count <= 0 || maxRules <= 0) return 0;
  return Math.min(5, Math.max(1, Math.ceil((count / maxRules) * 5)));
}

// Labels a colour step with the rule counts it stands for; undefined when no count maps to it.
function describeLevel(level: number, maxRules: number): string | undefined {
  const counts: number[] = [];
  for (let n = 1; n <= maxRules; n += 1) if (computeHeatLevel(n, maxRules) === level) counts.push(n);
  if (counts.length === 0) return undefined;
  const lo = counts[0];
  const hi = counts[counts.length - 1];
  return lo === hi ? `${lo} rule${lo === 1 ? '' : 's'}` : `${lo}–${hi} rules`;
}

