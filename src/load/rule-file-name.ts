/**
 * True for the file names Sigma rules are kept in: `.yml` and `.yaml`, any case. Folder walks,
 * git listings and changed-file filters all ask this, so they agree on what a rule file is.
 */
export function isRuleFileName(name: string): boolean {
  return /\.ya?ml$/i.test(name);
}
