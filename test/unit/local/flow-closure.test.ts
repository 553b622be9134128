import { expect } from 'chai';
import { flowClosure, handlersToWarm } from '../../../tooling/local/flow-closure.ts';

const arnOf = (name: string): string => `arn:states:${name}`;
const task = (resource: string) => ({ Type: 'Task', Resource: resource, End: true });
const starts = (name: string) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::states:startExecution.sync:2',
  Parameters: { StateMachineArn: arnOf(name) },
  End: true,
});
const names = ['migration', 'subproject', 'resource', 'rollback', 'verify'];
const definitions = [
  { States: { Configure: task('arn:fn:configure'), Each: starts('subproject') } },
  { States: { Projects: starts('resource'), Again: starts('resource') } },
  { States: { Produce: task('arn:fn:producer') } },
  { States: { Remove: starts('resource'), Undo: task('arn:fn:rollback-producer') } },
  { States: { Verify: task('arn:fn:verify') } },
];

describe('flowClosure: what one run of a workflow can call, for the functions the local runtime warms ahead', () => {
  it('takes the workflow and every flow it starts, transitively, each once, in the order first named', () => {
    const closure = flowClosure('migration', names, definitions, arnOf);
    expect(closure).to.have.length(3);
    expect(closure[0]).to.include('arn:fn:configure');
    expect(closure[1]).to.include(arnOf('resource'));
    expect(closure[2]).to.include('arn:fn:producer');
  });

  it('leaves out the flows the workflow never starts (a migration warms nothing of a rollback or a verification)', () => {
    const text = flowClosure('migration', names, definitions, arnOf).join('');
    expect(text).not.to.include('arn:fn:rollback-producer');
    expect(text).not.to.include('arn:fn:verify');
    expect(flowClosure('rollback', names, definitions, arnOf).join('')).to.include('arn:fn:producer');
  });

  it('names the known workflows when asked for one that does not exist', () => {
    expect(() => flowClosure('migrate', names, definitions, arnOf)).to.throw(
      'no state machine migrate to warm for (known: migration, subproject, resource, rollback, verify)',
    );
  });
});

describe('handlersToWarm: the functions the local runtime starts ahead of a run', () => {
  const functionArn = (handler: string): string => `arn:fn:${handler}`;
  const handlers = ['configure', 'consumer', 'producer', 'rollback-producer', 'verify'];
  // Rendered definitions are objects: the function ARNs must be found in them as JSON names them (quoted once).
  const rendered = [
    { States: { Configure: task(functionArn('configure')), Each: starts('subproject') } },
    { States: { Projects: starts('resource') } },
    { States: { Produce: task(functionArn('producer')) } },
    { States: { Undo: task(functionArn('rollback-producer')), Remove: starts('resource') } },
    { States: { Verify: task(functionArn('verify')) } },
  ];

  it("warms every function of the workflow's flows in the order first named, the consumer right after the producer that feeds it", () => {
    expect(handlersToWarm('migration', names, rendered, arnOf, handlers, functionArn, true)).to.deep.equal(['configure', 'producer', 'consumer']);
    expect(handlersToWarm('rollback', names, rendered, arnOf, handlers, functionArn, true)).to.deep.equal(['rollback-producer', 'consumer', 'producer']);
  });

  it('warms no consumer when the command runs none, and nothing of another workflow', () => {
    expect(handlersToWarm('migration', names, rendered, arnOf, handlers, functionArn, false)).to.deep.equal(['configure', 'producer']);
    expect(handlersToWarm('verify', names, rendered, arnOf, handlers, functionArn, true)).to.deep.equal(['verify']);
  });
});
