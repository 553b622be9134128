import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import type { Backend } from '../../../tooling/cli/backend.ts';
import { fetchReport } from '../../../tooling/cli/migrate.ts';
import { reportChildPath, UnsafeReportPathError } from '../../../tooling/cli/report-path.ts';

/** Names a hostile report.json could give a fix list to write elsewhere on the operator's machine. */
const HOSTILE = [
  '../../../../.bashrc',
  '/etc/cron.d/x',
  'fixlists/../../../x.csv',
  'fixlists/a\u0000.csv',
  'fixlists\\..\\..\\x.csv',
  '',
  '.',
  'fixlists//x.csv',
  'fixlists/\u001b[2Jx.csv',
];

describe('file names a report names stay inside its folder (tooling/cli/report-path.ts)', () => {
  it('takes a plain relative name inside the folder', () => {
    expect(reportChildPath('reports/acme/run-1', 'fixlists/fp_acme_north.csv')).to.equal(resolve('reports/acme/run-1/fixlists/fp_acme_north.csv'));
  });

  for (const name of HOSTILE) {
    it(`refuses ${JSON.stringify(name)} in one line`, () => {
      expect(() => reportChildPath('reports/acme/run-1', name)).to.throw(UnsafeReportPathError, /^the report names the file .*: not downloaded$/);
    });
  }

  it("fetchReport downloads no fix list a hostile report.json points outside the report's folder, and writes nothing there", async () => {
    const root = mkdtempSync(join(tmpdir(), 'report-path-'));
    try {
      const reportJson = {
        runId: 'run-1',
        status: 'SUCCEEDED',
        entities: {},
        fixLists: [{ database: 'fp_acme_north', file: '../../../escaped.csv', records: 1 }],
      };
      const fetched: string[] = [];
      const backend = {
        store: {
          uri: (key: string) => `s3://bucket/${key}`,
          getToFile: async (key: string, path: string) => {
            fetched.push(key);
            writeFileSync(path, key.endsWith('report.json') ? JSON.stringify(reportJson) : 'x');
          },
        },
      } as unknown as Backend;
      const error = await fetchReport(backend, 'acme', 'run-1', join(root, 'reports')).then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(error).to.be.instanceOf(UnsafeReportPathError);
      expect(fetched).to.deep.equal(['reports/acme/run-1/report.json', 'reports/acme/run-1/report.html']);
      expect(existsSync(join(root, 'escaped.csv'))).to.equal(false);
      expect(readdirSync(root)).to.deep.equal(['reports']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
