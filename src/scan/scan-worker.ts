/**
 * A worker thread of `dac scan` (./parallel-scan.ts): rebuilds the scan's rules from their plain data
 * (compiled rules are closures, which cannot cross threads), checks that it sees the same mappings and
 * placeholders as the main thread, then scans each chunk it is sent and replies with what it found:
 * matches, problems, the chunk's account of records, and the log sources its records came from.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { getDefaultPlaceholders } from '../compile/placeholders.js';
import type { RecogniseRecord } from '../events/input-account.js';
import { loadMappings } from '../mapping/load-mappings.js';
import { createSourceRecogniser, type SourceRecogniser } from '../mapping/recognise-source.js';
import { createRulesFromPack } from './load-rules.js';
import { fingerprintMapping, fingerprintPlaceholders } from './rule-cache.js';
import { scanChunk } from './scan-chunk.js';
import { createScanEngine, type ScanEngine } from './scan-events.js';
import type { ChunkJob, WorkerInit, WorkerReply } from './parallel-scan.js';

async function rebuild(init: WorkerInit): Promise<{ engine: ScanEngine; recogniser: SourceRecogniser | undefined }> {
  let mapping;
  if (init.mappingsDir !== undefined) {
    const loaded = await loadMappings(init.mappingsDir);
    mapping = loaded.mappings;
  }
  // The rules must compile here exactly as they did in the main thread.
  if (fingerprintMapping(mapping) !== init.mappingFingerprint) throw new Error('the mappings changed since the scan started');
  if (fingerprintPlaceholders(getDefaultPlaceholders()) !== init.placeholderFingerprint) throw new Error('the placeholders changed since the scan started');
  const engine = createScanEngine(createRulesFromPack(init.pack, {}, mapping), init.engine);
  // Records are recognised by the same mapping as in the main thread, which merges what was seen.
  return { engine, recogniser: init.recognise && mapping !== undefined ? createSourceRecogniser(mapping) : undefined };
}

const port = parentPort;
if (port === null) throw new Error('scan-worker runs as a worker thread only');
const reply = (message: WorkerReply): void => port.postMessage(message);
const unrecognised: RecogniseRecord = () => undefined;
try {
  const { engine, recogniser } = await rebuild(workerData as WorkerInit);
  port.on('message', ({ id, file, bytes }: ChunkJob) => {
    try {
      const result = scanChunk(engine, file, bytes, recogniser?.recognise ?? unrecognised);
      reply({ id, result, ...(recogniser ? { seen: { sawFlat: recogniser.sawFlat, identities: recogniser.identities() } } : {}) });
    } catch (error) {
      reply({ id, error: error instanceof Error ? error.message : String(error) });
    }
  });
  reply({ ready: true });
} catch (error) {
  reply({ error: error instanceof Error ? error.message : String(error) });
}
