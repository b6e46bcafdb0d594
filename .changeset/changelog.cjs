'use strict';
// The rule pack's changelog generator for changesets ("changelog": "./changelog.cjs" in config.json).
// It runs under plain Node inside `changeset version`, so it is CommonJS with no dependencies.
// It is also the one definition of the changeset body convention (.changeset/README.md): the
// harness loads `parseChangesetSummary` from here to enforce it (src/version/changesets.ts).

/** The kinds of rule change a changeset line can name, in changelog order, with the least bump each needs. */
const ENTRY_KINDS = [
  { kind: 'added', heading: 'Added', minimumBump: 'minor' },
  { kind: 'detection-changed', heading: 'Detection changed', minimumBump: 'minor' },
  { kind: 'tuned', heading: 'Tuned', minimumBump: 'patch' },
  { kind: 'deprecated', heading: 'Deprecated', minimumBump: 'patch' },
  { kind: 'removed', heading: 'Removed', minimumBump: 'major' },
];

/** The heading for changesets that name no rule (harness or documentation changes). */
const OTHER_HEADING = 'Other changes';

// `<kind>: <rule id or rule file name> <title>`; the reference may be wrapped in backticks.
const ENTRY_LINE = /^([A-Za-z][A-Za-z-]*):[ \t]+`?([^\s`]+)`?(?:[ \t]+(.*?))?[ \t]*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when a word is shaped like a rule reference: a UUID or a YAML file name. */
function looksLikeRuleRef(word) {
  return UUID.test(word) || /\.ya?ml$/i.test(word);
}

/**
 * Reads the entry lines at the start of a changeset's summary (its body, trimmed).
 * Returns the entries with their 1-based line in the summary, the problems found, and the free text
 * that follows the entries.
 */
function parseChangesetSummary(summary) {
  const lines = String(summary).split(/\r?\n/);
  const entries = [];
  const problems = [];
  let index = 0;
  for (; index < lines.length; index += 1) {
    const match = ENTRY_LINE.exec(lines[index]);
    if (!match) break;
    const kind = match[1].toLowerCase();
    const ref = match[2];
    const title = (match[3] || '').trim();
    const known = ENTRY_KINDS.some((entry) => entry.kind === kind);
    if (!known) {
      // `Note: the parser ...` is prose; `detection-change: 2a1c...` is a mistyped entry.
      if (!looksLikeRuleRef(ref)) break;
      problems.push({
        line: index + 1,
        message: `unknown change kind '${match[1]}'; use one of ${ENTRY_KINDS.map((entry) => entry.kind).join(', ')}`,
      });
      continue;
    }
    if (title === '') problems.push({ line: index + 1, message: `write the rule's title after '${ref}', for the changelog` });
    entries.push({ kind, ref, title, line: index + 1 });
  }
  return { entries, problems, notes: lines.slice(index).join('\n').trim() };
}

function indent(text) {
  return text
    .split('\n')
    .map((line) => (line.trim() === '' ? '' : `  ${line}`))
    .join('\n');
}

/** Renders changesets as Markdown groups, one `####` heading per kind of change. */
function renderChangesets(changesets) {
  const groups = new Map(ENTRY_KINDS.map((entry) => [entry.heading, []]));
  groups.set(OTHER_HEADING, []);
  for (const changeset of changesets) {
    const { entries, notes } = parseChangesetSummary(changeset.summary);
    if (entries.length === 0) {
      if (notes !== '') {
        const [first, ...rest] = notes.split('\n');
        groups.get(OTHER_HEADING).push(rest.length > 0 ? `- ${first}\n${indent(rest.join('\n'))}` : `- ${first}`);
      }
      continue;
    }
    entries.forEach((entry, position) => {
      const heading = ENTRY_KINDS.find((candidate) => candidate.kind === entry.kind).heading;
      const line = `- \`${entry.ref}\` ${entry.title}`.trimEnd();
      // The free text belongs to the changeset, so it follows its first entry only.
      groups.get(heading).push(position === 0 && notes !== '' ? `${line}\n\n${indent(notes)}` : line);
    });
  }
  return [...groups]
    .filter(([, items]) => items.length > 0)
    .map(([heading, items]) => `#### ${heading}\n\n${items.join('\n')}\n`)
    .join('\n');
}

// changesets asks for one line per changeset, and writes them under "### Major/Minor/Patch Changes".
// To group the lines of one bump type by kind instead, the calls made for one bump type in the same
// turn of the event loop (changesets makes them all at once) are collected, and the first call
// answers with the whole grouped block while the others answer '' (which changesets drops). Were
// changesets to call one at a time, each changeset would simply be rendered on its own.
// This assumes one package per `changeset version` run, which is how this repository is laid out.
const batches = new Map();

/** changesets hook: the changelog text for one changeset of a release. */
function getReleaseLine(changeset, type) {
  let batch = batches.get(type);
  if (batch === undefined) {
    const members = [];
    const text = new Promise((resolve) => {
      setImmediate(() => {
        batches.delete(type);
        resolve(renderChangesets(members));
      });
    });
    batch = { members, text };
    batches.set(type, batch);
  }
  const first = batch.members.length === 0;
  batch.members.push(changeset);
  return batch.text.then((text) => (first ? text : ''));
}

/** changesets hook: lines for dependency bumps; the rule pack has no internal dependencies. */
function getDependencyReleaseLine() {
  return Promise.resolve('');
}

module.exports = {
  ENTRY_KINDS,
  OTHER_HEADING,
  parseChangesetSummary,
  renderChangesets,
  getReleaseLine,
  getDependencyReleaseLine,
};
