import type { CatalogEntry } from './types.js';

/**
 * Renamed copies of catalogue programs (ATT&CK T1036.003, Rename System Utilities): the same file,
 * copied where an intruder drops tools and given another name. The version resource, hashes and signer
 * are the original's, so a rule or an identification that reads OriginalFileName or hashes still knows
 * it; one that reads the image's file name does not. The names are those intrusion reports show:
 * short, or borrowed from a harmless program.
 */
const RENAMED_COPIES: readonly { readonly of: string; readonly paths: readonly string[] }[] = [
  {
    of: 'cmd.exe',
    paths: ['C:\\Windows\\Temp\\c.exe', 'C:\\ProgramData\\Microsoft\\svcupd.exe', 'C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\cm.exe'],
  },
  {
    of: 'whoami.exe',
    paths: ['C:\\Windows\\Temp\\w.exe', 'C:\\Users\\Public\\info.exe'],
  },
  {
    of: 'powershell.exe',
    paths: ['C:\\Windows\\Temp\\ps.exe', 'C:\\ProgramData\\update.exe'],
  },
  {
    of: 'appcmd.exe',
    paths: ['C:\\Windows\\Temp\\ac.exe', 'C:\\ProgramData\\iiscfg.exe'],
  },
  {
    of: 'plink.exe',
    paths: ['C:\\Windows\\Temp\\sshd.exe', 'C:\\ProgramData\\Microsoft\\Network\\netsvc.exe', 'C:\\Users\\Public\\winupdate.exe'],
  },
];

/** Builds the renamed copies from their originals: the original's roles are not kept (tag `renamed`). */
export function describeRenamedCopies(originals: readonly CatalogEntry[]): CatalogEntry[] {
  return RENAMED_COPIES.map(({ of, paths }) => {
    const original = originals.find((entry) => entry.name === of);
    if (original === undefined) throw new Error(`renamed copy of ${of}: no such catalogue entry`);
    return {
      name: `${of} (renamed)`,
      paths,
      roles: ['renamed'],
      ...(original.runsAs === undefined ? {} : { runsAs: original.runsAs }),
      launchedBy: ['cmd.exe'],
      ...(original.pe === undefined ? {} : { pe: original.pe }),
      renamedFrom: of,
      note: `${of} copied and renamed; its OriginalFileName and hashes are still ${of}'s.`,
    };
  });
}
