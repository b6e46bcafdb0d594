/**
 * A throwaway pack for `dac mutate` tests: the harness tests' small rule (w3wp.exe starting cmd.exe or
 * whoami.exe), a scenario spec with renamed look-alikes, and golden events that kill every mutant.
 */
import { createTempPack, CMD, EXPLORER, RULE_FILE, RULE_ID, ruleText, sysmonEvent, TEST_DIR, W3WP, WHOAMI } from '../harness/temp-pack.js';

export { RULE_FILE, TEST_DIR };

/** The spec: IIS starting cmd is a true positive, whoami the documented false positive, look-alikes and Explorer background. */
export const MUTATION_SPEC = `rule: ${RULE_ID}
variants:
  - { name: w3wp.exe.bak, of: w3wp.exe, fileName: w3wp.exe.bak }
  - { name: cmd.exe.bak, of: cmd.exe, fileName: cmd.exe.bak }
  - { name: whoami.exe.bak, of: whoami.exe, fileName: whoami.exe.bak }
truePositives:
  - name: iis starts cmd
    parents: { names: [w3wp.exe] }
    children: { names: [cmd.exe] }
falsePositives:
  - name: iis runs whoami
    falsepositive: 0
    parents: { names: [w3wp.exe] }
    children: { names: [whoami.exe] }
background:
  - name: renamed iis
    parents: { names: [w3wp.exe.bak] }
    children: { names: [cmd.exe, whoami.exe] }
  - name: iis starts look-alikes and compilers
    parents: { names: [w3wp.exe] }
    children: { names: [cmd.exe.bak, whoami.exe.bak, csc.exe, cvtres.exe, conhost.exe, werfault.exe] }
  - name: explorer shells
    parents: { names: [explorer.exe] }
    children: { names: [cmd.exe, whoami.exe] }
`;

/** The golden events: upper-case true positive, the documented whoami, and one true negative per look-alike. */
export const GOLDEN_EVENTS = {
  tp: sysmonEvent('C:\\WINDOWS\\System32\\inetsrv\\W3WP.EXE', 'C:\\WINDOWS\\system32\\CMD.EXE'),
  fp: sysmonEvent(W3WP, WHOAMI),
  tn: [
    sysmonEvent(EXPLORER, CMD),
    sysmonEvent(W3WP, 'C:\\Windows\\System32\\conhost.exe'),
    sysmonEvent(`${W3WP}.bak`, CMD),
    sysmonEvent(W3WP, `${CMD}.bak`),
    sysmonEvent(W3WP, `${WHOAMI}.bak`),
  ],
};

export const GOLDEN_SPEC = `rule: ${RULE_ID}
events:
  - file: tp.xml
    verdict: match
    provenance: written by hand for the mutation tests
  - file: fp.xml
    verdict: false-positive
    falsepositive: 0
    provenance: written by hand for the mutation tests
  - file: tn.xml
    verdict: no-match
    provenance: written by hand for the mutation tests
`;

/** Writes the pack; `tn` replaces the true negatives, `spec: null` leaves out scenarios.yml, `files` adds or replaces files. */
export async function createMutationPack({ tn = GOLDEN_EVENTS.tn, spec = MUTATION_SPEC as string | null, files = {} as Record<string, string> } = {}): Promise<string> {
  return createTempPack({
    [RULE_FILE]: ruleText(),
    [`${TEST_DIR}/rule-test.yml`]: GOLDEN_SPEC,
    ...(spec === null ? {} : { [`${TEST_DIR}/scenarios.yml`]: spec }),
    [`${TEST_DIR}/tp.xml`]: GOLDEN_EVENTS.tp,
    [`${TEST_DIR}/fp.xml`]: GOLDEN_EVENTS.fp,
    [`${TEST_DIR}/tn.xml`]: `<Events>${tn.join('')}</Events>`,
    ...files,
  });
}
