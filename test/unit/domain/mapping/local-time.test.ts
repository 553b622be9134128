import { expect } from 'chai';
import { toOffsetDateTime, toTargetDate } from '../../../../src/domain/mapping/local-time.ts';
import { InvalidInputError } from '../../../../src/domain/errors.ts';

const AMSTERDAM = 'Europe/Amsterdam';

describe('legacy dates and local times', () => {
  it('maps the zero date and NULL to absent', () => {
    expect([toTargetDate('0000-00-00'), toTargetDate(null), toTargetDate('2024-03-31')]).to.deep.equal([undefined, undefined, '2024-03-31']);
    expect(toOffsetDateTime('0000-00-00 00:00:00', AMSTERDAM)).to.deep.equal({ ok: true, value: undefined });
    expect(toOffsetDateTime(null, AMSTERDAM)).to.deep.equal({ ok: true, value: undefined });
  });

  it('gives a summer time +02:00 and a winter time +01:00 in Europe/Amsterdam', () => {
    expect(toOffsetDateTime('2024-05-01 09:30:00', AMSTERDAM)).to.deep.equal({ ok: true, value: '2024-05-01T09:30:00+02:00' });
    expect(toOffsetDateTime('2024-12-01 09:30:00', AMSTERDAM)).to.deep.equal({ ok: true, value: '2024-12-01T09:30:00+01:00' });
  });

  it('reports 2024-03-31 02:30 in Europe/Amsterdam as a time in the daylight-saving gap', () => {
    const result = toOffsetDateTime('2024-03-31 02:30:00', AMSTERDAM);
    expect(result.ok).to.equal(false);
    expect(result.ok ? '' : result.issue).to.contain('daylight-saving gap');
  });

  it('gives the ambiguous 2024-10-27 02:30 in Europe/Amsterdam the earlier summer offset +02:00', () => {
    expect(toOffsetDateTime('2024-10-27 02:30:00', AMSTERDAM)).to.deep.equal({ ok: true, value: '2024-10-27T02:30:00+02:00' });
    expect(toOffsetDateTime('2024-10-27 03:00:00', AMSTERDAM)).to.deep.equal({ ok: true, value: '2024-10-27T03:00:00+01:00' });
  });

  it("uses the customer's own time zone", () => {
    expect(toOffsetDateTime('2024-05-01 09:30:00', 'America/Curacao')).to.deep.equal({ ok: true, value: '2024-05-01T09:30:00-04:00' });
  });

  it('reports a date and time that is not in the calendar', () => {
    expect(toOffsetDateTime('2024-02-30 10:00:00', AMSTERDAM).ok).to.equal(false);
    expect(toOffsetDateTime('yesterday', AMSTERDAM).ok).to.equal(false);
  });

  it('throws InvalidInputError for a time zone that does not exist', () => {
    expect(() => toOffsetDateTime('2024-05-01 09:30:00', 'Europe/Atlantis')).to.throw(InvalidInputError);
  });
});
