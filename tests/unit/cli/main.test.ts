import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listCommands, main } from '../../../src/cli/main.js';
import { captureIo } from './capture-io.js';

const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

describe('dac', () => {
  it.each(['--version', '-v', '-V'])('%s prints the harness package name and version', async (flag) => {
    const io = captureIo('/');
    expect(await main([flag], io)).toBe(0);
    expect(io.out()).toBe(`${manifest.name} ${manifest.version}\n`);
  });

  it('help lists every command with its summary', async () => {
    const io = captureIo('/');
    expect(await main(['help'], io)).toBe(0);
    for (const name of listCommands()) expect(io.out()).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    const dashed = captureIo('/');
    expect(await main(['--help'], dashed)).toBe(0);
    expect(dashed.out()).toBe(io.out());
  });

  it('without a command prints the list to stderr and exits 2', async () => {
    const io = captureIo('/');
    expect(await main([], io)).toBe(2);
    expect(io.err()).toContain('commands:');
    expect(io.out()).toBe('');
  });

  it.each(listCommands())('dac help %s is the command\'s --help, and every option it names is accepted', async (name) => {
    const viaHelp = captureIo('/');
    expect(await main(['help', name], viaHelp)).toBe(0);
    const viaFlag = captureIo('/');
    expect(await main([name, '--help'], viaFlag)).toBe(0);
    expect(viaHelp.out()).toBe(viaFlag.out());
    expect(viaHelp.out()).toMatch(new RegExp(`^usage: dac ${name}\\b`));
    expect(viaHelp.out()).toMatch(/^ {2}-h, --help +show this help$/m);
    // Every option the help names is one the parser accepts (with a value when the help shows one).
    const options = [...viaHelp.out().matchAll(/^ {2}(?:-\w, | {4})(--[\w-]+)( \S+)?/gm)];
    expect(options.length).toBeGreaterThan(1);
    for (const [, option, value] of options) {
      const probe = captureIo('/');
      expect(await main([name, option as string, ...(value ? ['x'] : []), '--help'], probe)).toBe(0);
      expect(probe.out()).toBe(viaHelp.out());
    }
  });

  it('refuses an unknown command or help topic (exit 2)', async () => {
    const io = captureIo('/');
    expect(await main(['frobnicate'], io)).toBe(2);
    expect(io.err()).toContain("dac: unknown command 'frobnicate'");
    const help = captureIo('/');
    expect(await main(['help', 'frobnicate'], help)).toBe(2);
    expect(help.err()).toContain("dac help: unknown command 'frobnicate'");
  });
});
