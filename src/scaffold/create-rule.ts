/**
 * `dac new`: a new rule from a category template, with everything `dac test` asks of it started: the
 * rule (fresh id, today's date, the configured author, ATT&CK tags checked against the project's copy
 * of ATT&CK, references to the techniques), its test folder with an empty rule-test.yml, a scenario-spec
 * skeleton where the category has an activity, and the changeset that adds it. The rule passes
 * `dac validate` as written; `dac test` fails it until it has golden events (and its spec is filled).
 * No file that exists is touched: every target is checked first, and each is created new or not at all.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { AttackCatalog } from '../attack/catalog.js';
import { classifyAttackTag } from '../attack/tags.js';
import { createNewFile } from '../files/write-new-file.js';
import { ACTIVITIES } from '../harness/activities/registry.js';
import { listTags } from '../harness/activities/selection.js';
import type { RuleTemplate } from './templates.js';

/** What `dac new` was asked. */
export interface NewRuleRequest {
  readonly repoRoot: string;
  readonly rulesDir: string;
  readonly testsDir: string;
  readonly template: RuleTemplate;
  readonly title: string;
  /** The file name's part after the template's prefix (default: from the title). */
  readonly name?: string;
  readonly tags: readonly string[];
  readonly author?: string;
  readonly description?: string;
  readonly level: string;
  /** Today, as Sigma writes dates (YYYY-MM-DD). */
  readonly date: string;
  readonly id?: string;
  /** The package the changeset bumps; no changeset when undefined. */
  readonly packageName?: string;
}

/** A file `dac new` writes: where, and its text. */
export interface PlannedFile {
  readonly path: string;
  /** Relative to the repository root, forward slashes. */
  readonly file: string;
  readonly text: string;
}

const toSlashes = (path: string): string => path.split(sep).join('/');

/** A title as a file name part: lower case words joined by underscores. */
export function slugifyTitle(title: string): string {
  return title.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 60).replace(/_+$/, '');
}

/**
 * Checks tags against ATT&CK and completes them: a bare technique id (T1021.001) becomes
 * attack.t1021.001, and a technique whose tactics none of the tags names brings them along. Returns
 * the tags in order (tactics first, as SigmaHQ writes them), or the problems.
 */
export function checkTags(tags: readonly string[], attack: AttackCatalog): { tags?: string[]; problems: string[] } {
  const problems: string[] = [];
  const tactics: string[] = [];
  const others: string[] = [];
  const techniques: { tag: string; tactics: readonly string[] }[] = [];
  for (const written of tags) {
    const tag = /^t\d{4}(\.\d{3})?$/i.test(written) ? `attack.${written.toLowerCase()}` : written.toLowerCase();
    const parsed = classifyAttackTag(tag);
    if (parsed === undefined) {
      others.push(tag);
      continue;
    }
    if (parsed.kind === 'technique') {
      const technique = attack.technique(parsed.id);
      if (technique === undefined) problems.push(`${written}: ATT&CK ${attack.version} has no technique ${parsed.id}`);
      else if (technique.deprecated) problems.push(`${written}: technique ${parsed.id} (${technique.name}) is deprecated in ATT&CK ${attack.version}`);
      else techniques.push({ tag, tactics: technique.tactics });
    } else if (parsed.kind === 'tactic') {
      if (attack.tactic(parsed.shortname) === undefined) problems.push(`${written}: ATT&CK ${attack.version} has no tactic ${parsed.shortname} (${attack.tactics.map((t) => t.shortname).join(', ')})`);
      else tactics.push(`attack.${parsed.shortname}`);
    } else if (parsed.kind === 'group' && attack.group(parsed.id) === undefined) {
      problems.push(`${written}: ATT&CK ${attack.version} has no group ${parsed.id}`);
    } else if (parsed.kind === 'software' && attack.software(parsed.id) === undefined) {
      problems.push(`${written}: ATT&CK ${attack.version} has no software ${parsed.id}`);
    } else {
      others.push(tag);
    }
  }
  for (const technique of techniques) {
    if (technique.tactics.some((tactic) => tactics.includes(`attack.${tactic}`))) continue;
    tactics.push(...technique.tactics.map((tactic) => `attack.${tactic}`));
  }
  if (problems.length > 0) return { problems };
  return { tags: [...new Set([...tactics, ...techniques.map((technique) => technique.tag), ...others])], problems };
}

/** A YAML scalar: plain when it reads back as the same text, else double-quoted. */
function quote(text: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9 ,.()'/_-]*$/.test(text) && !/[:#]/.test(text) && !/ $/.test(text) ? text : JSON.stringify(text);
}

/** The technique pages a rule's technique tags point at. */
function listReferences(tags: readonly string[]): string[] {
  return tags.flatMap((tag) => {
    const parsed = classifyAttackTag(tag);
    return parsed?.kind === 'technique' ? [`https://attack.mitre.org/techniques/${parsed.id.replace('.', '/')}/`] : [];
  });
}

function describeRule(request: NewRuleRequest, id: string, tags: readonly string[], schemaPath: string): string {
  const { template } = request;
  const logsource = [
    ...(template.logsource.category === undefined ? [] : [`  category: ${template.logsource.category}`]),
    `  product: ${template.logsource.product}`,
    ...(template.logsource.service === undefined ? [] : [`  service: ${template.logsource.service}`]),
  ];
  const references = listReferences(tags);
  return [
    `# yaml-language-server: $schema=${schemaPath}`,
    `title: ${quote(request.title)}`,
    `id: ${id}`,
    'status: experimental',
    `description: ${quote(request.description ?? 'CHANGE-ME: what the rule detects, and why it matters.')}`,
    ...(references.length === 0 ? [] : ['references:', ...references.map((reference) => `  - ${reference}`)]),
    ...(request.author === undefined ? [] : [`author: ${quote(request.author)}`]),
    `date: ${request.date}`,
    ...(tags.length === 0 ? [] : ['tags:', ...tags.map((tag) => `  - ${tag}`)]),
    'logsource:',
    ...logsource,
    'detection:',
    ...template.detection,
    'falsepositives:',
    '  - Unknown',
    `level: ${request.level}`,
    '',
  ].join('\n');
}

function describeRuleTest(request: NewRuleRequest, id: string, schemaPath: string): string {
  return `# yaml-language-server: $schema=${schemaPath}
# Golden events of '${request.title}'.
# Each file's events take its verdict unless an override names their 0-based position. Copy captured
# events in with
#   npx dac golden add <rule> <capture>#<N> --verdict match|no-match|false-positive=<entry> --source "<where from>"
# or write events in Sigma taxonomy fields as a YAML list in events/<name>.yml and list that file
# here: dac test renders each into every shape of the rule's log sources.
rule: ${id}
events: []
`;
}

/** Comment lines of at most ~100 characters listing items after a label. */
function wrapList(label: string, items: readonly string[]): string[] {
  const lines: string[] = [];
  let line = `#   ${label}`;
  for (const item of items) {
    if (line.length + item.length + 2 > 100) {
      lines.push(`${line},`);
      line = `#     ${item}`;
    } else {
      line = line.endsWith(': ') ? `${line}${item}` : `${line}, ${item}`;
    }
  }
  lines.push(line);
  return lines;
}

function describeScenarios(request: NewRuleRequest, id: string, schemaPath: string): string | undefined {
  const activity = request.template.activity === undefined ? undefined : ACTIVITIES[request.template.activity];
  if (activity === undefined) return undefined;
  const catalogueLines = activity.dimensions.flatMap((dimension) =>
    dimension.catalogue.processes
      ? wrapList(`${dimension.key} (${dimension.catalogue.source}), tags: `, [...listTags(dimension.catalogue)])
      : [...wrapList(`${dimension.key} (${dimension.catalogue.source}): `, dimension.catalogue.entries.map((entry) => entry.name)), ...wrapList(`${dimension.key} tags: `, [...listTags(dimension.catalogue)])],
  );
  const space = (name: string, background: boolean): string[] => [
    `  - name: ${name}`,
    ...activity.dimensions.map((dimension) =>
      background && dimension.catalogue.processes ? `    ${dimension.key}: { tags: [background] }` : `    ${dimension.key}: { names: [CHANGE-ME] }`),
  ];
  return [
    `# yaml-language-server: $schema=${schemaPath}`,
    `# Scenario spec of '${request.title}':`,
    `# the ${activity.title}s the property tests generate, and which the rule must fire on. Replace each`,
    '# CHANGE-ME with catalogue entries (names) or role tags (tags);',
    '# dac test names any it does not know. The catalogues:',
    ...catalogueLines,
    `rule: ${id}`,
    `activity: ${activity.name}`,
    'description: >-',
    '  CHANGE-ME: what the rule must catch, and what it leaves out on purpose.',
    'truePositives:',
    ...space('CHANGE-ME what the rule must catch', false),
    'background:',
    ...space('CHANGE-ME near misses and everyday activity', true),
    '',
  ].join('\n');
}

/** The files of a new rule, planned and checked, before anything is written. */
export function planNewRule(request: NewRuleRequest, tags: readonly string[]): { files: PlannedFile[]; id: string; ruleFile: string } {
  const id = request.id ?? randomUUID();
  const stem = `${request.template.prefix}${(request.name ?? slugifyTitle(request.title)).replace(new RegExp(`^${request.template.prefix}`), '')}`;
  const rulePath = join(request.repoRoot, request.rulesDir, request.template.folder, `${stem}.yml`);
  const testFolder = join(request.repoRoot, request.testsDir, stem);
  const schemaFrom = (path: string, schema: string): string => toSlashes(relative(dirname(path), join(request.repoRoot, 'schemas', schema)));
  const planned: { path: string; text: string | undefined }[] = [
    { path: rulePath, text: describeRule(request, id, tags, schemaFrom(rulePath, 'sigma-detection-rule.schema.json')) },
    { path: join(testFolder, 'rule-test.yml'), text: describeRuleTest(request, id, schemaFrom(join(testFolder, 'rule-test.yml'), 'rule-test.schema.json')) },
    { path: join(testFolder, 'scenarios.yml'), text: describeScenarios(request, id, schemaFrom(join(testFolder, 'scenarios.yml'), 'scenario.schema.json')) },
    {
      path: join(request.repoRoot, '.changeset', `${stem}.md`),
      text: request.packageName === undefined || !existsSync(join(request.repoRoot, '.changeset')) ? undefined : `---\n${JSON.stringify(request.packageName)}: minor\n---\n\nadded: ${id} ${request.title}\n`,
    },
  ];
  return {
    id,
    ruleFile: toSlashes(relative(request.repoRoot, rulePath)),
    files: planned.flatMap(({ path, text }) => (text === undefined ? [] : [{ path, file: toSlashes(relative(request.repoRoot, path)), text }])),
  };
}

/** Writes planned files, each new; on a failure removes those written, and rethrows. */
export async function writePlannedFiles(files: readonly PlannedFile[]): Promise<void> {
  const written: string[] = [];
  try {
    for (const file of files) {
      await mkdir(dirname(file.path), { recursive: true });
      await createNewFile(file.path, file.text);
      written.push(file.path);
    }
  } catch (error) {
    await Promise.all(written.map((path) => rm(path, { force: true })));
    throw error;
  }
}
