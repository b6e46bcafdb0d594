/**
 * A worker thread of deep property runs (see property-pool.ts): rebuilds the rule and its properties
 * from the worker source, then runs each shard it is sent and replies with what the shard found.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { compileRule } from '../compile/compile-rule.js';
import { parseYaml } from '../load/yaml.js';
import { loadMappings } from '../mapping/load-mappings.js';
import { resolveLogSource } from '../mapping/resolve-log-source.js';
import { parseRule } from '../parse/parse-rule.js';
import { prepareProperties, type PreparedProperties } from './properties.js';
import type { ShardJob, WorkerReply, WorkerSource } from './property-pool.js';

async function rebuild(source: WorkerSource): Promise<PreparedProperties> {
  const document = parseYaml(source.ruleText, source.ruleFile).documents.find((candidate) => candidate.index === source.ruleIndex);
  const rule = document === undefined ? undefined : parseRule(document, source.ruleFile).rule;
  if (rule === undefined) throw new Error(`document ${source.ruleIndex} of ${source.ruleFile} is no longer a rule`);
  const { mappings, diagnostics } = await loadMappings(source.mappingsDir);
  const broken = diagnostics.find((diagnostic) => diagnostic.severity === 'error');
  if (broken !== undefined) throw new Error(`the mapping in ${source.mappingsDir} cannot be loaded: ${broken.file}:${broken.line}: ${broken.message}`);
  const bindings = resolveLogSource(mappings, rule.logsource);
  const { compiled } = compileRule(rule, { bindings });
  if (compiled === undefined) throw new Error(`${source.ruleFile} does not compile`);
  const { mappingsDir: _unused, ruleFile: _file, ruleText: _text, ruleIndex: _index, ...context } = source;
  const prepared = await prepareProperties({ ...context, rule, compiled, bindings });
  if (!('runShard' in prepared)) throw new Error(`the properties of ${source.ruleFile} could not be prepared`);
  return prepared;
}

const port = parentPort;
if (port === null) throw new Error('property-worker.ts runs as a worker thread only');
const reply = (message: WorkerReply): void => port.postMessage(message);
try {
  const prepared = await rebuild(workerData as WorkerSource);
  port.on('message', ({ id, property, shard }: ShardJob & { id: number }) => {
    try {
      const failure = prepared.runShard(property, shard);
      reply({ id, ...(failure !== undefined ? { failure } : {}), blindSpots: prepared.takeBlindSpots() });
    } catch (error) {
      reply({ error: `shard ${shard.index + 1} of property ${property}: ${error instanceof Error ? error.message : String(error)}` });
    }
  });
} catch (error) {
  reply({ error: error instanceof Error ? error.message : String(error) });
}
