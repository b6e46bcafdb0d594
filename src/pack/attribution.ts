/**
 * ATTRIBUTION.md of a pack: who wrote each rule and what it was drawn from, so a rule adapted from
 * elsewhere (a write-up, SigmaHQ under the Detection Rule License) keeps its credit wherever the pack goes.
 */
import type { PackManifest } from './manifest.js';

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/** Writes the attribution file from the manifest and the rule documents as written. */
export function renderAttribution(manifest: PackManifest, documents: readonly unknown[], packLicense: string | undefined): string {
  const byId = new Map<string, Record<string, unknown>>();
  for (const document of documents.flatMap((value) => (Array.isArray(value) ? value : [value]))) {
    if (typeof document === 'object' && document !== null && typeof (document as { id?: unknown }).id === 'string') {
      byId.set((document as { id: string }).id, document as Record<string, unknown>);
    }
  }
  const sections = manifest.rules.map((rule) => {
    const document = byId.get(rule.id) ?? {};
    const references = Array.isArray(document.references) ? document.references.filter((r): r is string => typeof r === 'string') : [];
    const license = text(document.license);
    return [
      `## ${rule.title}`,
      '',
      `- id: \`${rule.id}\`, file: \`${rule.file}\``,
      `- author: ${text(document.author)?.replace(/\s+/g, ' ') ?? 'not stated'}`,
      `- license: ${license ?? `${packLicense ?? 'not stated'} (the pack's)`}`,
      ...(references.length ? ['- drawn from:', ...references.map((reference) => `  - ${reference}`)] : []),
      '',
    ].join('\n');
  });
  return [
    `# Attribution: ${manifest.name} ${manifest.version}`,
    '',
    `The pack is under ${packLicense ?? 'no declared license'} (LICENSE). Each rule's author and the sources it was drawn from,`,
    'as the rule states them; a rule carrying its own `license` keeps that license and its notice.',
    '',
    ...sections,
  ].join('\n');
}
