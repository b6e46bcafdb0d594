/** What a report can say about a rule that did not load: its title, id, level, status and tags. */
export interface RuleHead {
  readonly id?: string;
  readonly title?: string;
  readonly level?: string;
  readonly status?: string;
  readonly tags: readonly string[];
}

const unquote = (text: string): string => text.trim().replace(/^(['"])(.*)\1$/, '$2').trim();

/**
 * Reads the title, id, level, status and tags of a rule file whose YAML does not parse, line by line,
 * so its report still names it and the ATT&CK map still marks its techniques. Best effort: only
 * top-level `key: value` lines and a block or flow list of tags are read.
 */
export function readHeadLeniently(text: string): RuleHead {
  const head: { id?: string; title?: string; level?: string; status?: string; tags: string[] } = { tags: [] };
  let inTags = false;
  for (const line of text.split(/\r?\n/)) {
    const top = /^([A-Za-z_]+):\s*(.*)$/.exec(line);
    if (top) {
      const [, key = '', rest = ''] = top;
      inTags = key === 'tags' && rest.trim() === '';
      const value = unquote(rest.replace(/\s+#.*$/, ''));
      if (key === 'tags' && value.startsWith('[')) head.tags.push(...value.replace(/^\[|\]$/g, '').split(',').map(unquote).filter(Boolean));
      else if ((key === 'id' || key === 'title' || key === 'level' || key === 'status') && value !== '') head[key] = value;
      continue;
    }
    const item = inTags ? /^\s+-\s+(.+)$/.exec(line) : null;
    if (item) head.tags.push(unquote((item[1] ?? '').replace(/\s+#.*$/, '')));
    else if (inTags && line.trim() !== '' && !line.trim().startsWith('#')) inTags = false;
  }
  return head;
}

