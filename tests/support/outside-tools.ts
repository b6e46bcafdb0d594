import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The tools some tests drive, and how Debian installs each (`.ci/run` installs both). */
export const OUTSIDE_TOOLS = {
  xmllint: 'apt-get install libxml2-utils',
  chromium: 'apt-get install chromium',
} as const;

/** One of `OUTSIDE_TOOLS`. */
export type OutsideTool = keyof typeof OUTSIDE_TOOLS;

/** The tool's executable on PATH, or undefined. */
export function findOnPath(name: string, path: string = process.env['PATH'] ?? ''): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

/**
 * Why the tests that drive `tool` cannot run here (the reason their skip shows), or undefined when they
 * can. On CI (`CI` set; .ci/run installs every tool) a missing tool is no reason: the tests run and fail.
 */
export function explainMissing(tool: OutsideTool): string | undefined {
  if (findOnPath(tool) !== undefined || process.env['CI'] !== undefined) return undefined;
  return `${tool} is not on PATH (Debian: ${OUTSIDE_TOOLS[tool]}; .ci/run installs it)`;
}
