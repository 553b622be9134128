import { expect } from 'chai';
import { updateExpression } from '../../../src/ledger/update-expression.ts';

describe('the update-expression builder (src/ledger/update-expression.ts)', () => {
  it('puts every attribute of SET, ADD and REMOVE behind a placeholder of its own name, in that order', () => {
    expect(updateExpression({ set: { status: 'failed', value: 'x' }, add: { attempts: 1 }, remove: ['payload', 'field'] })).to.deep.equal({
      UpdateExpression: 'SET #status = :status, #value = :value ADD #attempts :attempts REMOVE #payload, #field',
      ExpressionAttributeNames: { '#status': 'status', '#value': 'value', '#attempts': 'attempts', '#payload': 'payload', '#field': 'field' },
      ExpressionAttributeValues: { ':status': 'failed', ':value': 'x', ':attempts': 1 },
    });
  });

  it("adds the condition with its own placeholders, and lets it name a value being set (a migrated entry's guard)", () => {
    const update = updateExpression(
      { set: { status: 'failed' }, add: { attempts: 1 } },
      {
        expression: 'attribute_not_exists(#status) OR #status <> :migrated OR :status = :migrated',
        names: { '#status': 'status' },
        values: { ':migrated': 'migrated' },
      },
    );
    expect(update.ConditionExpression).to.equal('attribute_not_exists(#status) OR #status <> :migrated OR :status = :migrated');
    expect(update.ExpressionAttributeNames).to.deep.equal({ '#status': 'status', '#attempts': 'attempts' });
    expect(update.ExpressionAttributeValues).to.deep.equal({ ':migrated': 'migrated', ':status': 'failed', ':attempts': 1 });
  });

  it('numbers the placeholders of names that cannot be one (a sub-project counter `outcomes#<database>`)', () => {
    expect(updateExpression({ set: { collection: 'connections' }, add: { migrated: 3, 'outcomes#fp_a': 3, _x: 1 } })).to.deep.equal({
      UpdateExpression: 'SET #collection = :collection ADD #migrated :migrated, #_0 :_0, #_1 :_1',
      ExpressionAttributeNames: { '#collection': 'collection', '#migrated': 'migrated', '#_0': 'outcomes#fp_a', '#_1': '_x' },
      ExpressionAttributeValues: { ':collection': 'connections', ':migrated': 3, ':_0': 3, ':_1': 1 },
    });
  });

  it('leaves out the values when there are none (DynamoDB refuses an empty map), and refuses an update that changes nothing', () => {
    expect(updateExpression({ remove: ['emailEnabled'] })).to.deep.equal({
      UpdateExpression: 'REMOVE #emailEnabled',
      ExpressionAttributeNames: { '#emailEnabled': 'emailEnabled' },
    });
    expect(() => updateExpression({ set: {}, remove: [] })).to.throw('an update needs at least one attribute to set, add or remove');
  });
});
