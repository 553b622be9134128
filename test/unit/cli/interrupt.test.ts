import { expect } from 'chai';
import { chooseOnInterrupt, InterruptWatch, type InterruptIo } from '../../../tooling/cli/interrupt.ts';

/** A person answering `answer` (or nobody: no terminal); what was asked and said is kept. */
function io(tty: boolean, local: boolean, answer = ''): InterruptIo & { asked: string[]; said: string[]; exits: number[] } {
  const asked: string[] = [];
  const said: string[] = [];
  const exits: number[] = [];
  return {
    tty,
    local,
    asked,
    said,
    exits,
    ask: async (question) => (asked.push(question), answer),
    say: (line) => void said.push(line),
    exit: (code) => void exits.push(code),
  };
}

describe('Ctrl-C while a run is followed (tooling/cli/interrupt.ts)', () => {
  it('asks in a terminal, on a stage: s stops the run, d detaches, anything else goes on watching', async () => {
    expect(await chooseOnInterrupt(io(true, false, 's'))).to.equal('stop');
    expect(await chooseOnInterrupt(io(true, false, 'Detach'))).to.equal('detach');
    expect(await chooseOnInterrupt(io(true, false, ''))).to.equal('continue');
    const asked = io(true, false, 'x');
    await chooseOnInterrupt(asked);
    expect(asked.asked[0]).to.match(/\[s\]top the run .*restored.*\[d\]etach/);
  });

  it('offers no detach on the local runtime (the run lives in this process): d goes on watching', async () => {
    expect(await chooseOnInterrupt(io(true, true, 'd'))).to.equal('continue');
    expect(await chooseOnInterrupt(io(true, true, 's'))).to.equal('stop');
  });

  it("without a terminal detaches a stage's run and stops a local one, asking nothing", async () => {
    const stage = io(false, false);
    expect(await chooseOnInterrupt(stage)).to.equal('detach');
    expect(await chooseOnInterrupt(io(false, true))).to.equal('stop');
    expect(stage.asked).to.deep.equal([]);
  });

  it('hands the choice to the follow loop once, and leaves at once on the third Ctrl-C', async () => {
    const person = io(true, false, 'd');
    const watch = new InterruptWatch(person);
    expect(watch.take()).to.equal(undefined);
    await watch.interrupted();
    expect(watch.take()).to.equal('detach');
    expect(watch.take(), 'taken once').to.equal(undefined);
    await watch.interrupted();
    await watch.interrupted();
    expect(person.exits).to.deep.equal([130]);
  });
});
