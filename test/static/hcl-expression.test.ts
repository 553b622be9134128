import { expect } from 'chai';
import { evaluate, evaluateText } from '../../tooling/static/hcl-evaluate.ts';
import { HclError, parseValue } from '../../tooling/static/hcl-expression.ts';

const scope = (names: Record<string, unknown>) => (name: string) => names[name] as never;

describe("HCL expressions as Terraform evaluates them (the static renderer's parser and evaluator)", () => {
  const vars = { var: { a: null, m: { y: 2, x: 1 }, q: { b: 'qb', a: 'qa' }, list: ['g1', 'g1', 'g2'] } };

  it('evaluates literals, templates, objects, for expressions, conditionals, splats and functions', () => {
    expect(evaluateText('var.a == null ? [for k, v in var.m : "${k}-${v}"] : []', scope(vars))).to.deep.equal(['x-1', 'y-2']);
    expect(evaluateText('{ a = 1, "b-c" = var.q.a, (var.q.b) = [1, 2] }', scope(vars))).to.deep.equal({ a: 1, 'b-c': 'qa', qb: [1, 2] });
    expect(evaluateText('values(var.q)', scope(vars))).to.deep.equal(['qa', 'qb']);
    expect(evaluateText('distinct(var.list)', scope(vars))).to.deep.equal(['g1', 'g2']);
    expect(evaluateText('!true || 5 * 2 >= 10', scope(vars))).to.equal(true);
    expect(evaluateText('try(var.m.z, [])', scope(vars))).to.deep.equal([]);
    expect(evaluateText('[var.m][*].x', scope(vars))).to.deep.equal([1]);
    expect(evaluateText('{ for v in var.list : v => v... }', scope(vars))).to.deep.equal({ g1: ['g1', 'g1'], g2: ['g2'] });
    expect(evaluate(parseValue('${merge(var.q, {\n  A = var.q.a\n  B = "x${var.q.b}"\n})}'), scope(vars))).to.deep.equal({
      b: 'qb',
      a: 'qa',
      A: 'qa',
      B: 'xqb',
    });
    expect(evaluate(parseValue('arn:${var.q.a}:x/$${literal}'), scope(vars))).to.equal('arn:qa:x/${literal}');
  });

  it('fails as Terraform does on a key a for expression produces twice (it fails the plan), and on what it does not support', () => {
    expect(() => evaluateText('{ for v in var.list : v => v }', scope(vars))).to.throw(HclError, 'duplicate object key "g1"');
    expect(() => evaluateText('no_such_function(1)', scope(vars))).to.throw(HclError, 'function no_such_function() is not supported');
    expect(() => evaluateText('var.m.z', scope(vars))).to.throw(HclError, 'unsupported attribute "z"');
  });
});
