import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { createTempPack, RULE_FILE, RULE_ID, ruleText, TEST_DIR } from '../harness/temp-pack.js';
import { captureIo } from './capture-io.js';

// What a terminal would act on: C0 (ESC, BEL), DEL, C1 (CSI) and the bidirectional overrides.
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const HOSTILE = 'C:\\\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202eexe.evil';

describe('terminal safety of text output', () => {
  it('dac test shows the control characters of an event escaped in the console, and the reports too', async () => {
    const spec = `rule: ${RULE_ID}\nevents:\n  - file: tp.ndjson\n    verdict: match\n    provenance: synthesized by hand for the terminal tests\n`;
    const root = await createTempPack({
      [RULE_FILE]: ruleText(),
      [`${TEST_DIR}/rule-test.yml`]: spec,
      [`${TEST_DIR}/tp.ndjson`]: `${JSON.stringify({ Image: HOSTILE, ParentImage: 'C:\\inetsrv\\w3wp.exe' })}\n`,
    });
    const io = captureIo(root);
    expect(await main(['test', '--runs', '2', '--report-dir', 'reports'], io)).toBe(1);
    expect(io.out()).toContain('\\x1b]0;pwned\\x07\\x1b[2J\\u009b31m\\u202eexe.evil');
    expect(io.out()).not.toMatch(RAW_CONTROL);
    expect(io.err()).not.toMatch(RAW_CONTROL);
    expect(await readFile(join(root, 'reports/summary.md'), 'utf8')).not.toMatch(RAW_CONTROL);
    // Machine formats keep the value, encoded.
    expect(await readFile(join(root, 'reports/report.json'), 'utf8')).toContain('\\u001b]0;pwned\\u0007');
  }, 60_000);

  it('dac validate shows control characters of rule text and file names escaped', async () => {
    const root = await createTempPack({});
    const rule = `title: "T\\e]0;x\\a"\nid: 5b3f5e1e-1111-4111-8111-111111111111\nlogsource: {category: process_creation, product: windows}\ndetection:\n  selection:\n    "Image|con\\e[2Jtains": x\n  condition: selection\nlevel: high\n`;
    await mkdir(join(root, 'rules'), { recursive: true });
    await writeFile(join(root, 'rules', 'hostile.yml'), rule);
    await writeFile(join(root, 'rules', 'name\u001b[2J.yml'), ruleText());
    const io = captureIo(root);
    expect(await main(['validate'], io)).toBe(1);
    expect(io.out()).toContain('modifier/unknown');
    expect(io.out()).toContain('con\\x1b[2Jtains');
    expect(io.out()).toContain('rules/name\\x1b[2J.yml:1:1 error file/control-character-name');
    expect(io.out()).not.toMatch(RAW_CONTROL);
    expect(io.err()).not.toMatch(RAW_CONTROL);
  });
});
