/**
 * `dac validate` benchmark: generates a rule repository of varied Sigma files (3,000 rules by default) in a
 * temporary folder and validates it through validateFiles in one run. Run with
 * `npx tsx bench/validate.ts [rules]`.
 *
 * Prints the total time against the 10 s target, the cost per rule, and, from the same process, the one-time
 * start-up cost (schema compilation and the ATT&CK catalog) as a ratio of the whole run. With KEEP=1 the
 * generated repository is kept and its path printed, to profile or to try `dac validate` on it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { dump } from 'js-yaml';
import { loadAttackCatalog } from '../src/attack/catalog.js';
import { getSchemaValidators } from '../src/validate/sigma-schemas.js';
import { validateFiles } from '../src/validate/validate-files.js';

const ruleCount = Number(process.argv[2] ?? 3000);
const TARGET_SECONDS = 10;

/** A deterministic pseudo-random generator, so every run validates the same repository. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const random = createRandom(20251128);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const hex = (length: number) => Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');
const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;

const TECHNIQUES = [
  ['execution', 't1059.001'], ['execution', 't1059.003'], ['defense-evasion', 't1218.011'], ['defense-evasion', 't1027'],
  ['persistence', 't1505.003'], ['credential-access', 't1003.001'], ['discovery', 't1087.002'], ['command-and-control', 't1105'],
  ['lateral-movement', 't1021.001'], ['initial-access', 't1190'],
] as const;
const IMAGES = ['cmd.exe', 'powershell.exe', 'rundll32.exe', 'regsvr32.exe', 'mshta.exe', 'certutil.exe', 'wmic.exe', 'net.exe', 'whoami.exe', 'bitsadmin.exe'];
const PARENTS = ['w3wp.exe', 'httpd.exe', 'nginx.exe', 'winword.exe', 'excel.exe', 'outlook.exe', 'explorer.exe', 'services.exe'];
const ARGS = [' -enc ', ' /c ', 'DownloadString', 'urlcache', ' -nop ', 'FromBase64String', '/transfer', 'javascript:', 'scrobj.dll', 'lsass'];

function makeDetection(index: number): Record<string, unknown> {
  const variant = index % 6;
  const selection: Record<string, unknown> = { 'Image|endswith': Array.from({ length: 1 + (index % 4) }, () => `\\${pick(IMAGES)}`) };
  switch (variant) {
    case 0:
      selection['CommandLine|contains|all'] = [pick(ARGS), pick(ARGS)];
      break;
    case 1:
      selection['CommandLine|windash|contains'] = [' -enc ', ' -e '];
      break;
    case 2:
      selection['CommandLine|re|i'] = `(${pick(ARGS).trim()}|${pick(ARGS).trim()})[a-z0-9]{4,}`;
      break;
    case 3:
      selection['CommandLine|base64offset|contains'] = [pick(ARGS).trim(), pick(ARGS).trim()];
      break;
    case 4:
      selection['ParentImage|endswith'] = PARENTS.slice(0, 2 + (index % 6)).map((p) => `\\${p}`);
      break;
    default:
      selection['DestinationIp|cidr'] = ['10.0.0.0/8', '192.168.0.0/16'];
  }
  return {
    selection,
    filter_main_system: { User: 'NT AUTHORITY\\SYSTEM' },
    filter_optional_tool: [{ ParentImage: `C:\\Tools\\${pick(IMAGES)}` }, { 'Company|contains': 'Contoso' }],
    condition: 'selection and not 1 of filter_*',
  };
}

function makeRule(index: number, id: string, name: string): Record<string, unknown> {
  const [tactic, technique] = pick(TECHNIQUES);
  const rule: Record<string, unknown> = {
    title: `Generated Rule ${index} ${pick(['Suspicious', 'Uncommon', 'Potential'])} ${pick(IMAGES)} Execution`,
    id,
    name,
    status: pick(['stable', 'test', 'experimental']),
    description: `Benchmark rule ${index}: ${pick(IMAGES)} started with ${pick(ARGS).trim()}. 检测规则 ${index}.`,
    references: [`https://example.org/research/${index}`],
    author: 'sigma-dac benchmark',
    date: '2024-05-01',
    modified: '2025-01-15',
    tags: [`attack.${tactic}`, `attack.${technique}`, ...(index % 10 === 0 ? ['detection.threat-hunting'] : [])],
    logsource: { category: index % 6 === 5 ? 'network_connection' : 'process_creation', product: 'windows' },
    detection: makeDetection(index),
    falsepositives: ['Administrative activity'],
    level: pick(['low', 'medium', 'high', 'critical']),
  };
  // About one rule in twenty carries a defect, so the error paths are measured too.
  if (index % 20 === 7) rule.status = 'production';
  if (index % 20 === 13) (rule.tags as string[]).push('attack.privilege_escalation');
  return rule;
}

function writeRepository(root: string): { files: number; rules: number } {
  let rules = 0;
  let files = 0;
  while (rules < ruleCount) {
    const folder = join(root, 'rules', pick(['windows/process_creation', 'windows/network_connection', 'windows/builtin', 'emerging-threats']));
    mkdirSync(folder, { recursive: true });
    const index = rules;
    if (index % 50 === 49 && ruleCount - rules >= 3) {
      // A multi-document file: two base rules and a correlation over them.
      const a = makeRule(index, uuid(), `base_${index}_a`);
      const b = makeRule(index + 1, uuid(), `base_${index}_b`);
      const correlation = {
        title: `Generated Correlation ${index}`,
        id: uuid(),
        status: 'test',
        correlation: { type: pick(['temporal', 'temporal_ordered']), rules: [a.name, b.name], 'group-by': ['Computer'], timespan: '10m' },
        level: 'high',
      };
      writeFileSync(join(folder, `mr_generated_${index}.yml`), [a, b, correlation].map((doc) => dump(doc)).join('---\n'));
      rules += 3;
    } else {
      writeFileSync(join(folder, `proc_creation_generated_${index}.yml`), dump(makeRule(index, uuid(), `generated_${index}`)));
      rules += 1;
    }
    files += 1;
  }
  return { files, rules };
}

const root = mkdtempSync(join(tmpdir(), 'dac-bench-validate-'));
try {
  const { files, rules } = writeRepository(root);

  const startup = performance.now();
  getSchemaValidators();
  loadAttackCatalog();
  const startupMs = performance.now() - startup;

  const start = performance.now();
  const diagnostics = await validateFiles(['rules'], { cwd: root });
  const totalMs = performance.now() - start + startupMs;

  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  console.log(`validated ${rules} rules in ${files} files: ${errors} errors, ${warnings} warnings/notes (planted defects)`);
  console.log(`total ${(totalMs / 1000).toFixed(2)} s (target < ${TARGET_SECONDS} s: ${((totalMs / 1000 / TARGET_SECONDS) * 100).toFixed(0)}% of the budget)`);
  console.log(`per rule ${(totalMs / rules).toFixed(3)} ms; per file ${(totalMs / files).toFixed(3)} ms`);
  console.log(`start-up (schemas + ATT&CK) ${startupMs.toFixed(0)} ms = ${((startupMs / totalMs) * 100).toFixed(1)}% of the run`);
  if (totalMs / 1000 > TARGET_SECONDS) process.exitCode = 1;
} finally {
  if (process.env.KEEP) console.log(`kept ${root}`);
  else rmSync(root, { recursive: true, force: true });
}
