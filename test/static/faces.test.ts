import { expect } from 'chai';
import { ESLint } from 'eslint';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/** The messages of the project's ESLint config for one import line, linted as if it stood in `file`. */
async function importProblems(eslint: ESLint, file: string, line: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${line}\n`, { filePath: join(ROOT, file) });
  return result!.messages.filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

describe('lint: a folder of src/ is imported only through its face (eslint.config.js, no-restricted-imports)', function () {
  this.timeout(60_000);
  const eslint = new ESLint({ cwd: ROOT });
  const refused = async (file: string, line: string, why = 'through its face') =>
    expect(
      (await importProblems(eslint, file, line)).some((message) => message.includes(why)),
      `${file}: ${line}`,
    ).to.equal(true);
  const allowed = async (file: string, line: string) => expect(await importProblems(eslint, file, line), `${file}: ${line}`).to.deep.equal([]);

  it("refuses a deep import of another folder's file from src/, as an import, a type import or a re-export", async () => {
    await refused('src/pipeline/example.ts', "import { Ledger } from '../ledger/ledger.ts';");
    await refused('src/pipeline/example.ts', "import type { LedgerEntry } from '../ledger/types.ts';");
    await refused('src/pipeline/example.ts', "export { runKey } from '../ledger/keys.ts';");
    await refused('src/rollback/example.ts', "import { FiberConnectClient } from '../target/client/fiberconnect-client.ts';");
  });

  it("allows another folder's face and the folder's own files", async () => {
    await allowed('src/pipeline/example.ts', "import { Ledger } from '../ledger/index.ts';");
    await allowed('src/pipeline/example.ts', "import { Consumer } from './consumer.ts';");
    await allowed('src/pipeline/example.ts', "import { definitionOf } from '../domain/collections/index.ts';");
  });

  it('treats a subfolder with a face as a folder of its own, and a subfolder without one as part of its folder', async () => {
    await refused('src/domain/example.ts', "import type { CollectionDefinition } from './collections/types.ts';");
    await allowed('src/domain/example.ts', "import { definitionOf } from './collections/index.ts';");
    await allowed('src/domain/example.ts', "import schema from './schemas/projects.schema.json' with { type: 'json' };");
    await refused('src/domain/collections/example.ts', "import type { Collection } from '../types.ts';");
    await refused('src/domain/collections/example.ts', "import { externalRefOf } from '../mapping/checks.ts';");
    await allowed('src/domain/collections/example.ts', "import { type Collection, COLLECTIONS } from '../index.ts';");
    await allowed('src/domain/collections/example.ts', "import { externalRefOf } from '../mapping/index.ts';");
    await refused('src/target/client/example.ts', "import { TargetError } from '../errors.ts';");
    await allowed('src/target/client/example.ts', "import { TargetError } from '../index.ts';");
  });

  it("refuses a folder's file importing its own face: the face imports the file (a cycle)", async () => {
    await refused('src/ledger/example.ts', "import { Ledger } from './index.ts';", 'never their own face');
  });

  it('refuses functions/, tooling/ and scripts/ a deep import of src/, and allows the faces', async () => {
    await refused('functions/consumer/index.ts', "import { Consumer } from '../../src/pipeline/consumer.ts';", "folders' faces");
    await allowed('functions/consumer/index.ts', "import { Consumer } from '../../src/pipeline/index.ts';");
    await allowed('functions/consumer/index.ts', "import { targetClientFor } from '../../src/target/client/index.ts';");
    await refused('tooling/cli/example.ts', "import { runKey } from '../../src/ledger/keys.ts';", "folders' faces");
    await refused('tooling/local/deeper/example.ts', "import type { RunRecord } from '../../../src/ledger/types.ts';", "folders' faces");
    await allowed('tooling/cli/example.ts', "import { runKey } from '../../src/ledger/index.ts';");
    await refused('scripts/example.ts', "import { FileProfiles } from '../src/profile/file-profiles.ts';", "folders' faces");
    await allowed('scripts/example.ts', "import { FileProfiles } from '../src/profile/index.ts';");
  });

  it("lets tests import a folder's internals", async () => {
    await allowed('test/unit/ledger/example.test.ts', "import { runKey } from '../../../src/ledger/keys.ts';");
  });

  it('still refuses the engine an import of tooling, scripts or tests', async () => {
    await refused('src/ledger/example.ts', "import { startRuntime } from '../../tooling/local/runtime.ts';", 'must not import tooling');
    await refused('functions/consumer/index.ts', "import { seed } from '../../scripts/seed.ts';", 'must not import tooling');
  });
});
