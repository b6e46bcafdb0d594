import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createIdentifier } from '../../../src/harness/identify-process.js';
import { loadScenarioSpec, type ScenarioVariant } from '../../../src/harness/scenario-spec.js';
import { listScenarioEvents, scenarioTree } from '../../../src/harness/scenario-trees.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const { spec } = await loadScenarioSpec(join(repoRoot, 'tests/rules/proc_creation_win_webshell_spawn'), repoRoot);
if (spec === undefined) throw new Error('the web-shell scenario spec does not load');

const VARIANTS: readonly ScenarioVariant[] = [
  { name: 'health-check-w3wp', of: 'w3wp.exe', appPool: 'HealthCheck' },
  { name: 'jenkins-java', of: 'java.exe', arguments: ['-jar jenkins.war'] },
  { name: 'notcmd.exe', of: 'cmd.exe', fileName: 'notcmd.exe' },
];
const identify = createIdentifier(VARIANTS);

describe('createIdentifier', () => {
  it('gives back the identity every generated process was generated with, parent and child, in every space of the web-shell spec', () => {
    const identifyWebshell = createIdentifier(spec.variants);
    for (const space of spec.spaces) {
      fc.assert(
        fc.property(scenarioTree(space, spec.variants), (scenario) => {
          for (const event of listScenarioEvents(scenario)) {
            const { creation } = event;
            expect(identifyWebshell({ image: creation.Image, commandLine: creation.CommandLine, accounts: [creation.User] })).toEqual({ identity: event.identity });
            expect(identifyWebshell({ image: creation.ParentImage, commandLine: creation.ParentCommandLine, accounts: [creation.ParentUser, creation.User] }))
              .toEqual({ identity: event.parentIdentity });
          }
        }),
        { numRuns: 60, seed: 1505003 },
      );
    }
  });

  it('reads the file name whatever the path looks like', () => {
    for (const image of ['C:\\Windows\\System32\\cmd.exe', '\\\\?\\C:\\WINDOWS\\SYSTEM32\\CMD.EXE', '\\\\fs01\\tools\\Cmd.Exe', 'cmd.exe', 'C:/Windows/System32/cmd.exe']) {
      expect(identify({ image })).toEqual({ identity: 'cmd.exe' });
    }
    expect(identify({ image: 'C:\\inetpub\\wwwroot\\NotCmd.exe' })).toEqual({ identity: 'notcmd.exe' });
    expect(identify({ image: 'C:\\Tools\\nltest-custom.exe' })).toEqual({ identity: 'nltest-custom.exe' });
  });

  it("tells an application pool's worker by its -ap argument or by the pool's account, and any other worker as w3wp.exe", () => {
    const w3wp = 'C:\\Windows\\System32\\inetsrv\\w3wp.exe';
    expect(identify({ image: w3wp, commandLine: `${w3wp} -ap "HealthCheck" -v "v4.0"` })).toEqual({ identity: 'health-check-w3wp' });
    expect(identify({ image: w3wp, accounts: [undefined, 'IIS APPPOOL\\healthcheck'] })).toEqual({ identity: 'health-check-w3wp' });
    expect(identify({ image: w3wp, commandLine: `${w3wp} -ap "DefaultAppPool"`, accounts: ['IIS APPPOOL\\HealthCheck'] })).toEqual({ identity: 'w3wp.exe' });
    expect(identify({ image: w3wp, accounts: ['NT AUTHORITY\\NETWORK SERVICE'] })).toEqual({ identity: 'w3wp.exe' });
  });

  it('tells what a generic runtime runs by its command line, and says so when the event has none', () => {
    const java = 'C:\\Program Files\\Java\\jdk-17\\bin\\java.exe';
    expect(identify({ image: java, commandLine: `"${java}" -Dcatalina.home="C:\\Tomcat" org.apache.catalina.startup.Bootstrap start` })).toEqual({ identity: 'java.exe' });
    expect(identify({ image: java, commandLine: `"${java}" -Xmx256m -jar Jenkins.war --httpPort=8080` })).toEqual({ identity: 'jenkins-java' });
    expect(identify({ image: java, commandLine: `"${java}" -cp elasticsearch.jar org.elasticsearch.bootstrap.Elasticsearch` })).toEqual({ identity: 'java.exe (another program)' });
    expect(identify({ image: java })).toEqual({ unknown: expect.stringContaining('needs its command line') });
  });

  it('says an event without an image cannot be identified', () => {
    expect(identify({})).toEqual({ unknown: 'the event has no image path' });
    expect(identify({ image: '  ' })).toEqual({ unknown: 'the event has no image path' });
  });
});
