import { expect } from 'chai';
import { InvalidInputError } from '../../src/domain/errors.ts';
import { createLegacyPool, parseLegacyDbUrl } from '../../src/source/mysql/connection.ts';
import { REGISTRY_DATABASE } from '../../src/source/constants.ts';
import { awsBackend, localBackend, type Backend } from '../../tooling/cli/backend.ts';
import { startLocalRuntime } from '../../tooling/cli/local-runtime.ts';
import { stageLegacyPrecheck } from '../../tooling/cli/stage-checks.ts';
import type { LocalRuntime } from '../../tooling/local/runtime.ts';
import type { SeedManifest } from '../../tooling/seed/types.ts';
import { e2eFile, LEGACY_DB_URL, seedE2eCustomer, STAGE, temporaryFolder, E2E_TIMEOUT_MS } from './helpers.ts';

const FILE = e2eFile(import.meta.url);
const customer = FILE.customer;

describe('the legacy pre-check of a stage: the CLI invokes the precheck bundle through the Lambda API (local runtime, or E2E_STAGE)', function () {
  this.timeout(E2E_TIMEOUT_MS);
  const folder = temporaryFolder('e2e-precheck-');
  let manifest: SeedManifest;
  let runtime: LocalRuntime | undefined;
  let backend: Backend;

  before(async () => {
    manifest = await seedE2eCustomer(customer, '0.05');
    if (STAGE) {
      backend = await awsBackend(STAGE);
      return;
    }
    runtime = await startLocalRuntime({ dataDir: folder.path, basePort: FILE.basePort, legacyDbUrl: LEGACY_DB_URL, eventSources: false });
    backend = localBackend(runtime);
  });
  after(async () => {
    await runtime?.close();
    folder.remove();
  });

  it('answers the active sub-project databases of a customer in the registry', async () => {
    const result = await stageLegacyPrecheck(backend, customer);
    expect(result.customer).to.equal(customer);
    expect(result.subprojects).to.have.members(manifest.subprojects.filter((subproject) => subproject.active).map((subproject) => subproject.database));
  });

  it('refuses an unknown customer with one line of bad input (exit 2)', async () => {
    const error = await stageLegacyPrecheck(backend, 'nosuchcustomer').then(
      () => undefined,
      (failure: unknown) => failure as Error,
    );
    expect(error).to.be.instanceOf(InvalidInputError);
    expect(error!.message).to.match(/^legacy pre-check on stage \S+ failed: unknown customer nosuchcustomer; known customers: .*\b/);
    expect(error!.message).to.include(customer);
    expect(error!.message).to.not.include('\n');
  });

  it('refuses with one line a customer whose registry row names a database that does not exist, before anything changes (exit 2)', async () => {
    const broken = `${customer}_broken`;
    const pool = createLegacyPool(parseLegacyDbUrl(LEGACY_DB_URL), { connectionLimit: 1 });
    try {
      await pool.query(`DELETE FROM \`${REGISTRY_DATABASE}\`.subprojects WHERE customer = ?`, [broken]);
      await pool.query(`INSERT INTO \`${REGISTRY_DATABASE}\`.subprojects (customer, database_name, label, active) VALUES (?, ?, NULL, 1)`, [
        broken,
        `fp_${broken}_gone`,
      ]);
      const error = await stageLegacyPrecheck(backend, broken).then(
        () => undefined,
        (failure: unknown) => failure as Error,
      );
      expect(error).to.be.instanceOf(InvalidInputError);
      expect(error!.message).to.match(new RegExp(`^legacy pre-check on stage \\S+ failed: customer ${broken}: .*database fp_${broken}_gone does not exist`));
      expect(error!.message).to.not.include('\n');
    } finally {
      await pool.query(`DELETE FROM \`${REGISTRY_DATABASE}\`.subprojects WHERE customer = ?`, [broken]);
      await pool.end();
    }
  });
});
