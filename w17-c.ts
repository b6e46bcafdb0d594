import { loadYamlFile } from './src/load/yaml.js';
import { parseRule } from './src/parse/parse-rule.js';
import { convertRule } from './src/convert/convert-rule.js';
import { loadTargetProfiles } from './src/convert/target-profiles.js';
import { loadFilters, selectFilters } from './src/compile/apply-filters.js';
const f = 'rules/windows/process_creation/proc_creation_win_webshell_spawn.yml';
const y = await loadYamlFile(f, f);
const { rule } = parseRule(y.documents[0]!, f);
const { profiles, diagnostics } = await loadTargetProfiles();
console.log(diagnostics);
const { filters } = await loadFilters('filters', '.');
const sel = selectFilters(rule!, filters).selected;
for (const p of profiles) { const r = convertRule(rule!, p, { filters: sel }); console.log(r.query?.text ?? r.diagnostics); }
