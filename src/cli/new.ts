import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadAttackCatalog } from '../attack/catalog.js';
import { FileExistsError } from '../files/write-new-file.js';
import { FileWriteError } from '../files/write-file-atomic.js';
import { loadConfig } from '../harness/config.js';
import { checkTags, planNewRule, writePlannedFiles } from '../scaffold/create-rule.js';
import { findTemplate, RULE_TEMPLATES } from '../scaffold/templates.js';
import { readRepositoryLayout } from '../version/repository.js';
import { defineCommand, parseCommandLine, reportUsageError } from './command-spec.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from './io.js';

const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;

/** `dac new`'s options, read by the parser and printed by `--help`. */
export const newSpec = defineCommand({
  name: 'new',
  operands: 'CATEGORY',
  description: `Starts a rule from the category's template: rules/<folder>/<prefix><name>.yml with a fresh id, today's
date, the author of dac.config.yml, the log source and a detection skeleton whose CHANGE-ME values are
yours to replace; tests/rules/<rule name>/ with an empty rule-test.yml and, where the category has a
scenario activity, a scenarios.yml skeleton; and the changeset that adds the rule. The rule passes
dac validate at once; dac test fails it until it has golden events (dac golden add). No file that
exists is touched.

CATEGORY is one of ${RULE_TEMPLATES.map((template) => template.name).join(', ')}
(dac new --list says what each watches and where its rules go).`,
  options: {
    title: { type: 'string', value: 'TEXT', help: "the rule's title (required unless --list)" },
    tag: {
      type: 'string',
      multiple: true,
      value: 'TAG',
      help: 'an ATT&CK tag (attack.t1021.001 or T1021.001, attack.lateral-movement), checked against\nATT&CK; a technique brings its tactics when none is given',
    },
    name: { type: 'string', value: 'NAME', help: 'the file name after the category prefix (default: from the title)' },
    level: { type: 'string', choices: LEVELS, default: 'medium', help: "the rule's level" },
    author: { type: 'string', value: 'NAME', help: "overrides dac.config.yml's author" },
    description: { type: 'string', value: 'TEXT', help: "the rule's description (default: a CHANGE-ME line)" },
    list: { type: 'boolean', help: 'list the categories, what they watch and where their rules go' },
  },
  exitStatus: '0 created, 1 a file exists or cannot be written (nothing is left behind), 2 usage error',
});

/** `dac new`: a rule from a category template, with its test folder, scenario skeleton and changeset. */
export async function runNew(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(newSpec, argv, io);
  if ('exit' in parsed) return parsed.exit;
  const { values, operands: positionals } = parsed;
  if (values.list) {
    for (const template of RULE_TEMPLATES) io.stdout.write(`${template.name.padEnd(20)} ${template.summary} -> rules/${template.folder}/${template.prefix}*.yml\n`);
    return EXIT_OK;
  }
  const [category, ...extra] = positionals;
  const template = category === undefined ? undefined : findTemplate(category);
  const title = values.title?.trim();
  const problem =
    category === undefined ? 'no category: give one of the templates (dac new --list)'
      : template === undefined ? `no template '${category}' (${RULE_TEMPLATES.map((t) => t.name).join(', ')})`
        : extra.length > 0 ? `one category at a time, not '${extra.join(' ')}'`
          : title === undefined || title === '' ? 'no title: give --title'
            : title.length > 256 ? 'the title is longer than the 256 characters Sigma allows'
              : values.name !== undefined && !/^[a-z0-9][a-z0-9_]*$/.test(values.name) ? `--name takes lower-case letters, digits and underscores, not '${values.name}'`
                : undefined;
  if (problem !== undefined || template === undefined || title === undefined) return reportUsageError(newSpec, problem ?? 'missing arguments', io);
  const checked = checkTags(values.tag, loadAttackCatalog());
  if (checked.tags === undefined) return reportUsageError(newSpec, checked.problems.join('; '), io);
  const repoRoot = resolve(io.cwd);
  const { config, diagnostics } = await loadConfig(repoRoot);
  if (diagnostics.some((d) => d.severity === 'error')) {
    io.stderr.write(`dac new: dac.config.yml has errors (dac test shows them); nothing was created\n`);
    return EXIT_USAGE;
  }
  const layout = await readRepositoryLayout(repoRoot);
  const author = values.author ?? config.author;
  const plan = planNewRule(
    {
      repoRoot,
      rulesDir: config.rules,
      testsDir: config.tests,
      template,
      title,
      ...(values.name === undefined ? {} : { name: values.name }),
      tags: checked.tags,
      ...(author === undefined ? {} : { author }),
      ...(values.description === undefined ? {} : { description: values.description }),
      level: values.level,
      date: new Date().toISOString().slice(0, 10),
      ...(layout.packageName === '' ? {} : { packageName: layout.packageName }),
    },
    checked.tags,
  );
  const taken = plan.files.filter((file) => existsSync(file.path));
  if (taken.length > 0) {
    io.stderr.write(`dac new: ${taken.map((file) => file.file).join(', ')} already exist${taken.length === 1 ? 's' : ''}; nothing was created (pick another --name)\n`);
    return EXIT_FAILURE;
  }
  try {
    await writePlannedFiles(plan.files);
  } catch (error) {
    if (error instanceof FileExistsError || error instanceof FileWriteError) {
      io.stderr.write(`dac new: ${error.message}; nothing was created\n`);
      return EXIT_FAILURE;
    }
    throw error;
  }
  for (const file of plan.files) io.stdout.write(`created ${file.file}\n`);
  const hasSpec = plan.files.some((file) => file.file.endsWith('/scenarios.yml'));
  io.stdout.write(
    [
      '',
      `${plan.ruleFile} (id ${plan.id}) passes dac validate; dac test fails it until it has golden events.`,
      'next:',
      `  1. replace the CHANGE-ME values of its detection (and its description and falsepositives)`,
      `  2. add golden events: npx dac golden add ${plan.ruleFile} <capture>#<N> --verdict match --source "<where from>"`,
      '     (and no-match ones), or write them in Sigma taxonomy fields as a YAML list under events/',
      ...(hasSpec ? ['  3. fill in scenarios.yml: the spaces the rule must fire on, and the background it must not'] : []),
      `  ${hasSpec ? 4 : 3}. npx dac test${author === undefined ? '\n(no author written: set `author` in dac.config.yml or pass --author)' : ''}`,
      '',
    ].join('\n'),
  );
  return EXIT_OK;
}
