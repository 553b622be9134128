import { isAbsolute, relative, resolve, sep } from 'node:path';
import { MigrationError } from '../../src/domain/index.ts';

/** report.json named a file (a fix list) that is not a file inside its own folder. */
export class UnsafeReportPathError extends MigrationError<{ file: string }> {}

/**
 * The path of `name`, a file a report names (report.json's
 * `fixLists[].file`), inside the report's `folder`; refused when it could
 * reach anywhere else: absolute, `..` segments, a backslash, a NUL or
 * another control character. report.json comes from the bucket, which a
 * person or a process with write access may have changed.
 *
 * @example
 * reportChildPath('reports/acme/run-1', 'fixlists/fp_acme_north.csv'); // reports/acme/run-1/fixlists/fp_acme_north.csv
 * reportChildPath('reports/acme/run-1', '../../../.bashrc'); // throws UnsafeReportPathError
 */
export function reportChildPath(folder: string, name: string): string {
  const refuse = (why: string): never => {
    throw new UnsafeReportPathError(`the report names the file ${JSON.stringify(name)}, which ${why}: not downloaded`, { file: name });
  };
  // eslint-disable-next-line no-control-regex -- control characters are what is refused here
  if (name === '' || /[\u0000-\u001f\u007f\\]/.test(name)) refuse('is empty or holds a control character or a backslash');
  if (isAbsolute(name)) refuse('is an absolute path');
  if (name.split('/').some((segment) => segment === '..' || segment === '.' || segment === '')) refuse("is not a plain path inside the report's folder");
  const path = resolve(folder, name);
  const inside = relative(resolve(folder), path);
  if (inside === '' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) refuse("is outside the report's folder");
  return path;
}
