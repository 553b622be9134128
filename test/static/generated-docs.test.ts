import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { FUNCTION_VARIABLES } from '../../src/pipeline/environment.ts';
import { RUN_OPTIONS } from '../../src/profile/run-options.ts';
import { CLI_OPTIONS } from '../../tooling/cli/options.ts';
import { CLI_VARIABLES } from '../../tooling/cli/variables.ts';
import { checkEnvironmentReads, environmentReads } from '../../tooling/static/environment-reads.ts';
import { begin, checkGeneratedDocs, end, GENERATED_SECTIONS, runOptionsTable } from '../../tooling/static/generated-docs.ts';
import { engineSources } from '../../tooling/static/scaling.ts';

const functionNames = FUNCTION_VARIABLES.map((variable) => variable.name);
const cliNames = [...CLI_VARIABLES.map((variable) => variable.name), ...RUN_OPTIONS.flatMap((option) => ('variable' in option ? [option.variable] : []))];

describe('the generated tables of the docs say what the definitions say', () => {
  it('docs/run-options.md and docs/environment-variables.md hold the tables make docs writes from the definitions', () => {
    expect(GENERATED_SECTIONS.map((section) => `${section.file} ${section.name}`)).to.deep.equal([
      'docs/run-options.md run-options',
      'docs/environment-variables.md cli-variables',
      'docs/environment-variables.md function-variables',
    ]);
    expect(checkGeneratedDocs()).to.deep.equal([]);
    const table = readFileSync('docs/run-options.md', 'utf8');
    expect(table).to.include('| `queueBacklog` | `QUEUE_BACKLOG` | number | 10 to 100000 | messages | `100000` |');
    expect(table).to.include("| `targetRps` | `TARGET_RPS` | number | 0.1 to 10000 | requests/s | the profile's `rates.targetRps` (`default.json`: `20`) |");
  });

  it('the check can fail: a definition that changed, a doc without its markers', () => {
    const changed = [{ file: 'docs/run-options.md', name: 'run-options', render: () => runOptionsTable().replace('10 to 100000', '10 to 200000') }];
    expect(checkGeneratedDocs(changed)).to.deep.equal(['docs/run-options.md: the run-options table differs from its definition (run make docs)']);
    const unmarked = (file: string) => readFileSync(file, 'utf8').replace(begin('run-options'), '').replace(end('run-options'), '');
    expect(checkGeneratedDocs(GENERATED_SECTIONS.slice(0, 1), unmarked)).to.deep.equal([
      `docs/run-options.md has no ${begin('run-options')} ... ${end('run-options')} section (make docs writes it)`,
    ]);
  });
});

describe('every environment variable the code reads is defined once', () => {
  it('the functions (src/, functions/) read only variables of FUNCTION_VARIABLES', () => {
    const sources = engineSources();
    expect(environmentReads(sources)['src/profile/parameter-store/parameters.ts']).to.deep.equal(['PARAMETER_PREFIX']);
    expect(checkEnvironmentReads(sources, functionNames, 'FUNCTION_VARIABLES')).to.deep.equal([]);
  });

  it("the CLI and the local runtime read only the CLI's variables and the run options'", () => {
    const sources = engineSources(undefined, ['tooling/cli', 'tooling/local']);
    expect(environmentReads(sources)['tooling/cli/options.ts']).to.include.members(['CUSTOMER', 'LEGACY_DB_URL']);
    expect(checkEnvironmentReads(sources, cliNames, 'tooling/cli/variables.ts or RUN_OPTIONS')).to.deep.equal([]);
    expect(CLI_OPTIONS).to.have.members(cliNames.filter((name) => name !== 'MAKELEVEL'));
    expect(new Set(cliNames).size, 'no variable defined twice').to.equal(cliNames.length);
  });

  it('the check can fail: a read of a variable nobody defined', () => {
    const texts = {
      'src/a.ts': 'const x = process.env.SECRET_KNOB;\nconst y = env.LEDGER_TABLE;\nconst z = env["OTHER"];\n * @example parse(process.env.IN_A_COMMENT)',
    };
    expect(checkEnvironmentReads(texts, functionNames, 'FUNCTION_VARIABLES')).to.deep.equal([
      'src/a.ts reads OTHER, which FUNCTION_VARIABLES does not define',
      'src/a.ts reads SECRET_KNOB, which FUNCTION_VARIABLES does not define',
    ]);
  });

  it('the local runtime gives its functions every variable that has no default, and only defined ones (Terraform: test/static/terraform.test.ts)', () => {
    const text = readFileSync('tooling/local/runtime.ts', 'utf8');
    const block = /const environment = \{([\s\S]*?)\n\s*\};/.exec(text)?.[1] ?? '';
    const given = [...block.matchAll(/^\s+([A-Z_][A-Z0-9_]*):/gm), ...text.matchAll(/\b(POWERTOOLS_SERVICE_NAME): handler/g)].map((match) => match[1]!);
    const needed = FUNCTION_VARIABLES.filter((variable) => !('default' in variable)).map((variable) => variable.name);
    expect(given).to.include.members(needed);
    expect(functionNames).to.include.members(given);
  });
});
