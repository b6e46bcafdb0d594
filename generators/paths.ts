import fc from 'fast-check';

/**
 * Windows paths as they appear in process events. Windows file names are case-insensitive and one file
 * has several spellings (8.3 short names, the `\\?\` prefix, an administrative share), so a rule must
 * match them all; these arbitraries produce them, and shrink towards the plain canonical spelling.
 */

/** How one path segment is cased: kept, lower, upper, or mixed by a bit mask (bit i set: upper case). */
export type Casing = 'keep' | 'lower' | 'upper' | number;

/** How a path's root is written. */
export type RootKind = 'drive' | 'extended-drive' | 'nt-drive' | 'unc' | 'extended-unc';

/** A path split into its root (`C:`, `\\server\share`, `\\?\C:` ...) and the segments after it. */
export interface SplitPath {
  readonly root: string;
  readonly kind: RootKind;
  /** Server and share names of a UNC root; empty otherwise. */
  readonly rootNames: readonly string[];
  readonly segments: readonly string[];
  /** True when the path ends with a backslash (a directory, as Sysmon writes CurrentDirectory). */
  readonly trailingSeparator: boolean;
}

// Windows (Naming Files, Paths, and Namespaces): these characters are reserved in file names, as are
// control characters 0-31; a name may not end with a space or a period; device names are reserved.
const RESERVED_CHARACTERS = /[<>:"/\\|?*\u0000-\u001f]/;
const RESERVED_DEVICE_NAMES = /^(con|prn|aux|nul|com[1-9¹²³]|lpt[1-9¹²³])(\.|$)/i;
const MAX_SEGMENT_LENGTH = 255;
const MAX_EXTENDED_PATH_LENGTH = 32767;

const ROOT_PATTERNS: readonly { readonly kind: RootKind; readonly pattern: RegExp }[] = [
  { kind: 'extended-unc', pattern: /^\\\\\?\\UNC\\([^\\]+)\\([^\\]+)/i },
  { kind: 'extended-drive', pattern: /^\\\\\?\\[A-Za-z]:/ },
  // The NT object namespace form, as conhost.exe's command line shows it.
  { kind: 'nt-drive', pattern: /^\\\?\?\\[A-Za-z]:/ },
  { kind: 'unc', pattern: /^\\\\([^\\?.][^\\]*)\\([^\\]+)/ },
  { kind: 'drive', pattern: /^[A-Za-z]:/ },
];

/** Splits an absolute Windows path into root and segments; undefined when it has no recognised root. */
export function splitWindowsPath(path: string): SplitPath | undefined {
  for (const { kind, pattern } of ROOT_PATTERNS) {
    const match = pattern.exec(path);
    if (match === null) continue;
    const rest = path.slice(match[0].length);
    if (rest !== '' && !rest.startsWith('\\')) return undefined;
    const trailingSeparator = rest.endsWith('\\');
    const body = rest.slice(1, trailingSeparator ? -1 : undefined);
    return {
      root: match[0],
      kind,
      rootNames: match.slice(1).map((name) => name ?? ''),
      segments: body === '' ? [] : body.split('\\'),
      trailingSeparator,
    };
  }
  return undefined;
}

/** Says what makes one file or folder name invalid on Windows, or undefined when it is valid. */
export function describeSegmentProblem(segment: string): string | undefined {
  if (segment === '') return 'empty name (doubled backslash)';
  if (segment === '.' || segment === '..') return `relative segment "${segment}"`;
  if (segment.length > MAX_SEGMENT_LENGTH) return `name longer than ${MAX_SEGMENT_LENGTH} characters`;
  if (RESERVED_CHARACTERS.test(segment)) return `reserved character in "${segment}"`;
  if (/[ .]$/.test(segment)) return `name "${segment}" ends with a space or a period`;
  if (RESERVED_DEVICE_NAMES.test(segment)) return `reserved device name "${segment}"`;
  return undefined;
}

/** Says what makes an absolute Windows path invalid, or undefined when it is a valid absolute path. */
export function describeWindowsPathProblem(path: string): string | undefined {
  if (path.length > MAX_EXTENDED_PATH_LENGTH) return `longer than ${MAX_EXTENDED_PATH_LENGTH} characters`;
  const split = splitWindowsPath(path);
  if (split === undefined) return 'no drive, UNC or \\\\?\\ root';
  for (const name of [...split.rootNames, ...split.segments]) {
    const problem = describeSegmentProblem(name);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** True when `path` is a valid absolute Windows path. */
export function isWindowsPath(path: string): boolean {
  return describeWindowsPathProblem(path) === undefined;
}

/** Applies a casing to a text; a mask sets upper case where its bit (index mod 30) is set. */
export function applyCasing(text: string, casing: Casing): string {
  if (casing === 'keep') return text;
  if (casing === 'lower') return text.toLowerCase();
  if (casing === 'upper') return text.toUpperCase();
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    out += (casing >> i % 30) & 1 ? char.toUpperCase() : char.toLowerCase();
  }
  return out;
}

// Characters 8.3 names cannot hold; NTFS replaces them with an underscore.
const INVALID_SHORT_NAME_CHARACTERS = /[+,;=[\]]/g;
// Well-known short names that the ~1 rule gets wrong because an earlier folder took ~1.
const KNOWN_SHORT_NAMES: ReadonlyMap<string, string> = new Map([['program files (x86)', 'PROGRA~2']]);

function isShortNameCompliant(name: string): boolean {
  return /^[^ .+,;=[\]]{1,8}(\.[^ .+,;=[\]]{1,3})?$/.test(name);
}

/**
 * The 8.3 short name NTFS generates for a long name (first six usable characters, `~n`, first three of
 * the extension), or undefined when the name is already 8.3 and gets none. `PROGRA~2` for
 * "Program Files (x86)" comes from a table: it collides with "Program Files".
 */
export function computeShortName(name: string, index = 1): string | undefined {
  if (isShortNameCompliant(name)) return undefined;
  const known = KNOWN_SHORT_NAMES.get(name.toLowerCase());
  if (known !== undefined && index === 1) return known;
  const dot = name.lastIndexOf('.');
  const hasExtension = dot > 0 && dot < name.length - 1;
  const clean = (part: string) => part.replace(/[ .]/g, '').replace(INVALID_SHORT_NAME_CHARACTERS, '_').toUpperCase();
  const base = clean(hasExtension ? name.slice(0, dot) : name).slice(0, 6);
  const extension = hasExtension ? clean(name.slice(dot + 1)).slice(0, 3) : '';
  return `${base}~${index}${extension === '' ? '' : `.${extension}`}`;
}

/** A casing for one segment; shrinks to 'keep'. */
export const segmentCasing: fc.Arbitrary<Casing> = fc.oneof(
  { withCrossShrink: true },
  // Most logged paths keep the file system's case; the rest still must match.
  { arbitrary: fc.constant<Casing>('keep'), weight: 3 },
  { arbitrary: fc.constantFrom<Casing>('lower', 'upper'), weight: 2 },
  { arbitrary: fc.integer({ min: 1, max: 0x3fffffff }), weight: 1 },
);

/** Ways to write the root of a local path; shrinks to the plain drive letter. */
export type LocalRootForm = 'drive' | 'extended' | 'admin-share';

/** A root form for a local path: mostly the plain drive; shrinks to it. */
export const localRootForm: fc.Arbitrary<LocalRootForm> = fc.oneof(
  { withCrossShrink: true },
  { arbitrary: fc.constant<LocalRootForm>('drive'), weight: 4 },
  { arbitrary: fc.constantFrom<LocalRootForm>('extended', 'admin-share'), weight: 2 },
);

/** Which spellings `pathVariant` may use; all default to true. */
export interface PathVariantOptions {
  /** Random case in every segment and the drive letter. */
  readonly casing?: boolean;
  /** 8.3 short names for folders that have one (PROGRA~1). */
  readonly shortNames?: boolean;
  /** `\\?\C:\...` and `\\127.0.0.1\C$\...` forms of the root. */
  readonly prefixes?: boolean;
}

function composeLocalRoot(form: LocalRootForm, drive: string): string {
  if (form === 'extended') return `\\\\?\\${drive}:`;
  if (form === 'admin-share') return `\\\\127.0.0.1\\${drive}$`;
  return `${drive}:`;
}

/**
 * Spellings of one file that Windows resolves to the same place: each segment in any case, folders by
 * their 8.3 short names, the drive behind `\\?\` or an administrative share. The file name keeps its
 * long form (only its case varies), so the image name a rule keys on survives. Shrinks to `path` itself.
 */
export function pathVariant(path: string, options: PathVariantOptions = {}): fc.Arbitrary<string> {
  const split = splitWindowsPath(path);
  const drive = split?.kind === 'drive' ? split.root.charAt(0) : undefined;
  if (split === undefined || drive === undefined) {
    throw new Error(`pathVariant needs a drive-rooted path, got "${path}"`);
  }
  const casing = options.casing ?? true;
  const shortNames = options.shortNames ?? true;
  const prefixes = options.prefixes ?? true;
  const segmentArbitraries = split.segments.map((segment, index) => {
    const isFileName = index === split.segments.length - 1 && !split.trailingSeparator;
    const short = shortNames && !isFileName ? computeShortName(segment) : undefined;
    const spelling = short === undefined ? fc.constant(segment) : fc.constantFrom(segment, short);
    return casing ? fc.tuple(spelling, segmentCasing).map(([text, how]) => applyCasing(text, how)) : spelling;
  });
  // The other case of the drive letter comes second so that shrinking returns to the original.
  const otherCase = drive === drive.toUpperCase() ? drive.toLowerCase() : drive.toUpperCase();
  const driveArbitrary = casing ? fc.constantFrom(drive, otherCase) : fc.constant(drive);
  const rootForm = prefixes ? localRootForm : fc.constant<LocalRootForm>('drive');
  const tail = split.trailingSeparator && split.segments.length > 0 ? '\\' : '';
  return fc
    .tuple(rootForm, driveArbitrary, fc.tuple(...segmentArbitraries))
    .map(([form, letter, segments]) => `${composeLocalRoot(form, letter)}\\${segments.join('\\')}${tail}`);
}

/** A drive letter in either case. */
export const driveLetter: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 0, max: 25 }), fc.boolean())
  .map(([index, lower]) => {
    // Shrinks to C, the system drive, rather than A.
    const letter = String.fromCharCode(65 + ((index + 2) % 26));
    return lower ? letter.toLowerCase() : letter;
  });

// Folder names seen on web servers, with the characters that trip escaping and matching: spaces,
// parentheses, ampersands, apostrophes, dots, non-ASCII letters.
const FOLDER_NAMES: readonly string[] = [
  'inetpub',
  'wwwroot',
  'Program Files',
  'Program Files (x86)',
  'Windows',
  'Temp',
  'uploads',
  'App_Data',
  'bin',
  'aspnet_client',
  'Users',
  'Public',
  'ProgramData',
  'xampp',
  'htdocs',
  'webapps',
  'ROOT',
  'New folder (2)',
  'R&D',
  "Tom's site",
  'v4.0.30319',
  'Microsoft.NET',
  'Données',
  'Документы',
  '新建文件夹',
  'a',
  'My Web Sites',
  'site.backup.2024',
  'node_modules',
  'cgi-bin',
];
const FILE_NAMES: readonly string[] = [
  'index.aspx',
  'shell.aspx',
  'cmd.php',
  'upload.jsp',
  'web.config',
  'default.asp',
  'a b.txt',
  'R&D notes.docx',
  'x.ps1',
  'run.bat',
  'payload.exe',
  'update.vbs',
  'read me.txt',
];
const SERVER_NAMES: readonly string[] = ['fileserver', 'FS01', '10.0.0.5', 'nas.contoso.local', 'localhost'];
const SHARE_NAMES: readonly string[] = ['share', 'C$', 'ADMIN$', 'tools', 'Public Share', 'wwwroot$'];

/** A folder or file name from realistic words, in any case and sometimes as its 8.3 short name. */
export function pathSegment(words: readonly string[] = FOLDER_NAMES): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...words), segmentCasing, fc.boolean())
    .map(([word, casing, short]) => applyCasing((short ? computeShortName(word) : undefined) ?? word, casing));
}

/** Ways to write the root of an arbitrary path. */
export type RootForm = LocalRootForm | 'unc' | 'extended-unc';

/** Shape of the paths `windowsPath` produces. */
export interface WindowsPathOptions {
  /** Folders between the root and the file; default 0 to 10 (deep folders). */
  readonly minDepth?: number;
  readonly maxDepth?: number;
  /** The last segment; null for a directory path ending in a backslash. Default: realistic file names. */
  readonly fileName?: fc.Arbitrary<string> | null;
  /** Root forms to use; default all of them. */
  readonly roots?: readonly RootForm[];
}

/**
 * An absolute Windows path: a drive letter (any case), `\\?\`, a UNC share or `\\?\UNC\`, then folders
 * with spaces and odd characters in random case, then a file name. Shrinks to a short `C:\...` path.
 */
export function windowsPath(options: WindowsPathOptions = {}): fc.Arbitrary<string> {
  const roots = options.roots ?? ['drive', 'extended', 'unc', 'extended-unc', 'admin-share'];
  const server = fc.tuple(pathSegment(SERVER_NAMES), pathSegment(SHARE_NAMES));
  const root = fc.tuple(fc.constantFrom(...roots), driveLetter, server).map(([form, drive, [host, share]]) => {
    if (form === 'unc') return `\\\\${host}\\${share}`;
    if (form === 'extended-unc') return `\\\\?\\UNC\\${host}\\${share}`;
    return composeLocalRoot(form, drive);
  });
  const folders = fc.array(pathSegment(), { minLength: options.minDepth ?? 0, maxLength: options.maxDepth ?? 10 });
  const file = options.fileName === undefined ? pathSegment(FILE_NAMES) : options.fileName;
  if (file === null) {
    return fc.tuple(root, folders).map(([head, dirs]) => `${head}\\${dirs.map((dir) => `${dir}\\`).join('')}`);
  }
  return fc.tuple(root, folders, file).map(([head, dirs, name]) => [head, ...dirs, name].join('\\'));
}

/** The last segment of a Windows path (the image file name for an image path). */
export function extractFileName(path: string): string {
  return path.slice(path.lastIndexOf('\\') + 1);
}

/** The folder part of a Windows path, with its trailing backslash. */
export function extractDirectory(path: string): string {
  return path.slice(0, path.lastIndexOf('\\') + 1);
}
