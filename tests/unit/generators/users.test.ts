import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LOCAL_SERVICE,
  NETWORK_SERVICE,
  SYSTEM,
  accountDraft,
  computeAppPoolSid,
  computeServiceSid,
  computer,
  describeSecurityPrincipal,
  extractSqlInstance,
  formatAccountName,
  formatComputerName,
  formatLogonId,
  resolveAccount,
  type Computer,
} from '../../../generators/users.js';

const domainHost: Computer = {
  hostName: 'WEB01',
  domain: { netbios: 'CONTOSO', dns: 'contoso.local', sid: 'S-1-5-21-1-2-3' },
  machineSid: 'S-1-5-21-7-8-9',
};
const workgroupHost: Computer = { hostName: 'WEB02', machineSid: 'S-1-5-21-7-8-9' };
const [draft] = fc.sample(accountDraft, { seed: 5, numRuns: 1 });
if (draft === undefined) throw new Error('no sample');

describe('virtual account SIDs', () => {
  it('matches the published SIDs of NT SERVICE\\MSSQLSERVER and IIS APPPOOL\\DefaultAppPool', () => {
    expect(computeServiceSid('MSSQLSERVER')).toBe('S-1-5-80-3880718306-3832830129-1677859214-2598158968-1052248003');
    expect(computeServiceSid('mssqlserver')).toBe(computeServiceSid('MSSQLSERVER'));
    expect(computeAppPoolSid('DefaultAppPool')).toBe('S-1-5-82-3006700770-424185619-1745488364-794895919-4004696415');
    expect(computeAppPoolSid('DEFAULTAPPPOOL')).toBe(computeAppPoolSid('DefaultAppPool'));
    expect(computeAppPoolSid('.NET v4.5')).not.toBe(computeAppPoolSid('DefaultAppPool'));
  });
});

describe('well-known accounts', () => {
  it('have their fixed SIDs and logon sessions', () => {
    expect(
      [SYSTEM, LOCAL_SERVICE, NETWORK_SERVICE].map((account) => [
        formatAccountName(account),
        account.sid,
        formatLogonId(account.logonId),
      ]),
    ).toEqual([
      ['NT AUTHORITY\\SYSTEM', 'S-1-5-18', '0x3e7'],
      ['NT AUTHORITY\\LOCAL SERVICE', 'S-1-5-19', '0x3e5'],
      ['NT AUTHORITY\\NETWORK SERVICE', 'S-1-5-20', '0x3e4'],
    ]);
  });

  it('appear in the Security log as the computer account for SYSTEM and NETWORK SERVICE', () => {
    expect(describeSecurityPrincipal(SYSTEM, domainHost)).toEqual({
      sid: 'S-1-5-18',
      userName: 'WEB01$',
      domainName: 'CONTOSO',
      logonId: '0x3e7',
    });
    expect(describeSecurityPrincipal(NETWORK_SERVICE, workgroupHost).domainName).toBe('WORKGROUP');
    expect(describeSecurityPrincipal(LOCAL_SERVICE, domainHost)).toEqual({
      sid: 'S-1-5-19',
      userName: 'LOCAL SERVICE',
      domainName: 'NT AUTHORITY',
      logonId: '0x3e5',
    });
  });
});

describe('resolveAccount', () => {
  it('runs SQL Server as the service account of the instance its folder names', () => {
    const named = resolveAccount(
      'sql-service',
      draft,
      domainHost,
      'C:\\Program Files\\Microsoft SQL Server\\MSSQL15.SQLEXPRESS\\MSSQL\\Binn\\sqlservr.exe',
    );
    expect(formatAccountName(named)).toBe('NT SERVICE\\MSSQL$SQLEXPRESS');
    expect(named.sid).toBe(computeServiceSid('MSSQL$SQLEXPRESS'));
    const unnamed = resolveAccount(
      'sql-service',
      draft,
      domainHost,
      'C:\\Program Files\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe',
    );
    expect(formatAccountName(unnamed)).toBe('NT SERVICE\\MSSQLSERVER');
    expect(
      extractSqlInstance('C:\\Program Files\\Microsoft SQL Server\\MSSQL10_50.SHAREPOINT\\MSSQL\\Binn\\sqlservr.exe'),
    ).toBe('SHAREPOINT');
  });

  it('runs an application pool as its pool identity unless configured with a built-in account', () => {
    const pool = resolveAccount(
      'app-pool',
      { ...draft, pool: 'DefaultAppPool', poolIdentity: 'pool' },
      domainHost,
      'w3wp.exe',
    );
    expect(formatAccountName(pool)).toBe('IIS APPPOOL\\DefaultAppPool');
    expect(pool.sid).toBe(computeAppPoolSid('DefaultAppPool'));
    expect(resolveAccount('app-pool', { ...draft, poolIdentity: 'network-service' }, domainHost, 'w3wp.exe')).toBe(
      NETWORK_SERVICE,
    );
  });

  it('gives people domain or machine SIDs, and UAC token types by elevation', () => {
    const person = { ...draft, person: 'alice', domainAccount: true, elevated: false };
    const alice = resolveAccount('user', person, domainHost, 'cmd.exe');
    expect(formatAccountName(alice)).toBe('CONTOSO\\alice');
    expect(alice.sid.startsWith('S-1-5-21-1-2-3-')).toBe(true);
    expect([alice.integrityLevel, alice.tokenElevationType]).toEqual(['Medium', '%%1938']);
    const local = resolveAccount('user', person, workgroupHost, 'cmd.exe');
    expect(formatAccountName(local)).toBe('WEB02\\alice');
    expect(local.sid.startsWith('S-1-5-21-7-8-9-')).toBe(true);
    const elevated = resolveAccount('user', { ...person, elevated: true }, domainHost, 'cmd.exe');
    expect([elevated.integrityLevel, elevated.tokenElevationType]).toEqual(['High', '%%1937']);
    const admin = resolveAccount('user', { ...person, person: 'Administrator' }, domainHost, 'cmd.exe');
    expect([admin.sid.endsWith('-500'), admin.tokenElevationType]).toEqual([true, '%%1936']);
  });
});

describe('computer', () => {
  it('names hosts by FQDN on a domain and by host name off one', () => {
    expect(formatComputerName(domainHost)).toBe('WEB01.contoso.local');
    expect(formatComputerName(workgroupHost)).toBe('WEB02');
    fc.assert(
      fc.property(computer, (host) => {
        expect(host.hostName).toMatch(/^[A-Z0-9-]{1,15}$/);
        expect(host.machineSid).toMatch(/^S-1-5-21-\d+-\d+-\d+$/);
      }),
    );
  });
});
