import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { REPO_ROOT } from './terraform-model.ts';

/*
 * Static checks that the repository's docs stand alone: no file points to a
 * specification that lives outside the repository, and every relative link of
 * README.md and docs/*.md reaches a file (and a heading) that exists.
 */

/** A problem found by a check, one precise sentence. */
export type Problems = string[];

/**
 * Names of the out-of-repository specifications a clone does not have. Built
 * from parts so that this file does not name them itself.
 */
export const OUTSIDE_SPECIFICATIONS: RegExp = new RegExp(
  ['CONTRACT', 'DESIGN']
    .map((name) => `\\b${name}\\.md\\b`)
    .concat([`\\b${['RUNTIME', 'NOTES'].join('-')}\\b`])
    .join('|'),
);

/** Files git tracks, plus new ones it does not ignore (what the next commit may hold), POSIX paths from the root. */
export function repositoryFiles(root = REPO_ROOT): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return out
    .split('\0')
    .filter((path) => path !== '' && existsSync(join(root, path)) && statSync(join(root, path)).isFile())
    .sort();
}

/** Every line of the given texts (path => text) that names an outside specification. */
export function checkNoOutsideSpecifications(texts: Readonly<Record<string, string>>): Problems {
  const problems: Problems = [];
  for (const [path, text] of Object.entries(texts)) {
    if (text.includes('\0')) continue; // binary
    text.split('\n').forEach((line, index) => {
      const match = OUTSIDE_SPECIFICATIONS.exec(line);
      if (match) problems.push(`${path}:${index + 1} names ${match[0]}, which a clone does not have: point to the repository's own doc instead`);
    });
  }
  return problems;
}

/** README.md and docs/*.md: the docs whose links are checked. */
export function isCheckedDoc(path: string): boolean {
  return path === 'README.md' || /^docs\/[^/]+\.md$/.test(path);
}

/**
 * Text without fenced code blocks and inline code spans, where `[x](y)` is not
 * a link. Hand-written rather than a Markdown parser: the repository's docs
 * use inline links only, and no parser is among the dependencies.
 */
function withoutCode(text: string): string {
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** Anchors of a Markdown file's headings as GitHub makes them (lower case, punctuation dropped, spaces to hyphens, -1, -2 for repeats). */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = match[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/**
 * Every relative link of the given docs (path => text) whose file does not
 * exist, or whose `#anchor` names no heading of a Markdown file. `exists`
 * and `read` answer for paths from the repository root.
 */
export function checkRelativeLinks(
  docs: Readonly<Record<string, string>>,
  exists: (path: string) => boolean = (path) => existsSync(join(REPO_ROOT, path)),
  read: (path: string) => string = (path) => readFileSync(join(REPO_ROOT, path), 'utf8'),
): Problems {
  const problems: Problems = [];
  for (const [path, text] of Object.entries(docs)) {
    for (const match of withoutCode(text).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      const target = match[1]!;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:, ...
      const [file = '', anchor] = target.split('#', 2);
      const resolved = file === '' ? path : posix.normalize(posix.join(posix.dirname(path), decodeURIComponent(file)));
      if (resolved.startsWith('../')) {
        problems.push(`${path}: link ${target} leaves the repository`);
        continue;
      }
      if (!exists(resolved.replace(/\/$/, '') || '.')) {
        problems.push(`${path}: link ${target} points to ${resolved}, which does not exist`);
        continue;
      }
      if (anchor && resolved.endsWith('.md') && !headingAnchors(file === '' ? text : read(resolved)).has(anchor)) {
        problems.push(`${path}: link ${target} names #${anchor}, which is no heading of ${resolved}`);
      }
    }
  }
  return problems;
}

/** Reads the given repository files (paths from the root). */
export function readFiles(paths: readonly string[], root = REPO_ROOT): Record<string, string> {
  return Object.fromEntries(paths.map((path) => [path, readFileSync(join(root, path), 'utf8')]));
}
