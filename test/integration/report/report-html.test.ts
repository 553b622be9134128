import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { COLLECTIONS } from '../../../src/domain/constants.ts';
import { GROUP_SAMPLE_SIZE } from '../../../src/ledger/constants.ts';
import { reportPage } from '../../../src/ledger/report-html.ts';
import { launchBrowser } from '../../helpers/browser.ts';
import { syntheticSummary } from '../../helpers/report-records.ts';

describe('report.html at a million records with 5% dirt, in a real browser (Debian chromium)', function () {
  this.timeout(120_000);
  const folder = mkdtempSync(join(tmpdir(), 'report-html-'));
  const summary = syntheticSummary(1_080_000, 0.05);
  const html = [...reportPage(summary)].join('');
  const file = join(folder, 'report.html');
  writeFileSync(file, html);
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('stays under 5 MB, with a bounded sample per cause', () => {
    expect(Buffer.byteLength(html), 'bytes').to.be.below(5 * 1024 * 1024);
    const failed = COLLECTIONS.reduce((sum, c) => sum + summary.entities[c].failed + summary.entities[c].skipped, 0);
    expect(failed, 'failed and skipped records behind the page').to.be.greaterThan(40_000);
    for (const collection of COLLECTIONS) for (const group of summary.entities[collection].groups) expect(group.sample.length).to.be.at.most(GROUP_SAMPLE_SIZE);
  });

  it('opens offline, shows the totals of every collection, and draws both charts', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      const totals = await page.$$eval('#totals tr', (rows) => rows.slice(1).map((row) => Array.from(row.children).map((cell) => cell.textContent ?? '')));
      expect(totals.map((row) => row[0])).to.deep.equal([...COLLECTIONS]);
      const connections = summary.entities.connections;
      expect(totals[COLLECTIONS.indexOf('connections')]).to.deep.equal(
        [
          'connections',
          connections.source,
          connections.migrated,
          connections.updated,
          0,
          connections.skipped,
          connections.failed,
          connections.deletedInSource.count,
        ].map((n) => n.toLocaleString('en-US')),
      );
      for (const chart of ['#outcomes-chart', '#throughput-chart']) {
        const box = await page.$eval(chart, (svg) => {
          const { width, height } = svg.getBoundingClientRect();
          return {
            width,
            height,
            bars: Array.from(svg.querySelectorAll('rect')).filter((rect) => rect.getBoundingClientRect().width > 0 && rect.getBoundingClientRect().height > 0)
              .length,
          };
        });
        expect(box.width, `${chart} width`).to.be.greaterThan(100);
        expect(box.height, `${chart} height`).to.be.greaterThan(50);
        expect(box.bars, `${chart} bars drawn`).to.be.greaterThan(COLLECTIONS.length);
      }
      const causes = await page.$$eval('#causes tr', (rows) => rows.length - 1);
      expect(causes, 'one row per cause').to.equal(COLLECTIONS.reduce((sum, c) => sum + summary.entities[c].groups.length, 0));
      expect(
        requests.filter((url) => !url.startsWith('file:')),
        'requests beyond the file',
      ).to.deep.equal([]);
    } finally {
      await browser.cleanUp();
    }
  });
});
