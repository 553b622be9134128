import { expect } from 'chai';
import { LAG_HALF_LIFE_MS, WakeUpLag } from '../../../src/target/wake-up-lag.ts';

describe('WakeUpLag: spare rate slots on a host whose waits wake up late', () => {
  it('asks for no spare slot while wake-ups stay within the budget the share absorbs', () => {
    const lag = new WakeUpLag(15);
    for (let i = 0; i < 1000; i += 1) lag.note(i % 16, i);
    let spare = 0;
    for (let i = 0; i < 1000; i += 1) spare += lag.spareSlots(1, 1000 + i);
    expect(spare).to.equal(0);
  });

  it('asks for the excess over the budget, in ms per second, as empty slots: 45 ms late beyond a 15 ms budget is 4 whole spare slots in 100 requests (4.5 owed)', () => {
    const lag = new WakeUpLag(15);
    lag.note(60, 0);
    let spare = 0;
    // At the moment of the late wake-up, so no decay: 100 requests × 45 / 1000.
    for (let i = 0; i < 100; i += 1) spare += lag.spareSlots(1, 0);
    expect(spare).to.equal(4);
  });

  it('forgets a late wake-up with its half-life: a lag of 60 ms is 30 after one half-life, 15 after two, and then asks for nothing', () => {
    const lag = new WakeUpLag(15);
    lag.note(60, 0);
    expect(lag.current(LAG_HALF_LIFE_MS)).to.be.closeTo(30, 1e-9);
    expect(lag.current(2 * LAG_HALF_LIFE_MS)).to.be.closeTo(15, 1e-9);
    expect(lag.spareSlots(1000, 2 * LAG_HALF_LIFE_MS + 1)).to.equal(0);
  });

  it('keeps the latest lag unless a later wake-up is later still, and ignores early ones', () => {
    const lag = new WakeUpLag(15);
    lag.note(40, 0);
    lag.note(-3, 10);
    lag.note(20, 10);
    expect(lag.current(0)).to.equal(40);
    lag.note(90, LAG_HALF_LIFE_MS);
    expect(lag.current(LAG_HALF_LIFE_MS)).to.equal(90);
  });

  it('counts a message of many requests as many: one spare slot for 10 requests at 115 ms late', () => {
    const lag = new WakeUpLag(15);
    lag.note(115, 0);
    expect(lag.spareSlots(10, 0)).to.equal(1);
    expect(lag.spareSlots(5, 0)).to.equal(0);
    expect(lag.spareSlots(5, 0)).to.equal(1);
  });
});
