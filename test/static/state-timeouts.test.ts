import { expect } from 'chai';
import { checkCursorRetries, checkStateTimeouts } from '../../tooling/static/state-timeouts.ts';
import { loadTemplates, rootFunctions } from '../../tooling/static/terraform.ts';
import { isObject, loadTerraform, type JsonObject } from '../../tooling/static/terraform-model.ts';

describe('state timeouts and retries agree with the functions they call', () => {
  let templates: Record<string, string>;
  let timeouts: Record<string, number>;

  before(async () => {
    templates = loadTemplates();
    const functions = rootFunctions(await loadTerraform()) ?? {};
    timeouts = Object.fromEntries(
      Object.entries(functions)
        .filter(([, f]) => isObject(f))
        .map(([name, f]) => [name, (f as JsonObject).timeout as number]),
    );
  });

  it("every Lambda Task waits at least its function's timeout + 30 s, and every cursor step retries the time-outs AWS raises", () => {
    expect(timeouts.verify).to.equal(300);
    expect(checkStateTimeouts(templates, timeouts)).to.deep.equal([]);
    expect(checkCursorRetries(templates)).to.deep.equal([]);
  });

  it("the check can fail: verify's Start at 60 s against a 300 s function, a Task without a timeout", () => {
    const verify = JSON.parse(templates.verify!) as { States: Record<string, JsonObject> };
    verify.States.Start!.TimeoutSeconds = 60;
    const report = JSON.parse(templates['generate-report']!) as { States: Record<string, JsonObject> };
    delete report.States.GenerateReport!.TimeoutSeconds;
    expect(checkStateTimeouts({ verify: JSON.stringify(verify), 'generate-report': JSON.stringify(report) }, timeouts)).to.deep.equal([
      "statemachines/verify.json Start: TimeoutSeconds 60 is below verify's timeout 300 s + 30 s: the state would give up while the function still runs",
      'statemachines/generate-report.json GenerateReport: sets no TimeoutSeconds (report times out after 300 s: at least 330)',
    ]);
  });

  it('the check can fail: a page step that retries only States.Timeout', () => {
    const resource = JSON.parse(templates.resource!) as { States: Record<string, JsonObject> };
    const page = ((resource.States.ProduceRanges!.ItemProcessor as JsonObject).States as Record<string, JsonObject>).ProducePage!;
    page.Retry = [{ ErrorEquals: ['Lambda.ServiceException', 'States.Timeout'], MaxAttempts: 3 }];
    expect(checkCursorRetries({ resource: JSON.stringify(resource) })).to.deep.equal([
      'statemachines/resource.json ProduceRanges.ProducePage: resumes from a cursor but does not retry Lambda.Unknown, Sandbox.Timedout, Lambda.ClientExecutionTimeoutException',
    ]);
  });
});
