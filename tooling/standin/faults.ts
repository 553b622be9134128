import type { FaultPlan, FaultSettings } from './types.ts';

/** mulberry32: a tiny seeded PRNG, enough to make a fault sequence reproducible. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ERROR_STATUSES = [500, 502, 503] as const;

const NO_FAULT: FaultPlan = Object.freeze({ errorStatus: null, force429: false, drop: null });

/**
 * Decides, per /v1 request, which fault (if any) it meets. Every request draws the
 * same number of dice in the same order, so a seed gives the same plan sequence.
 */
export class FaultInjector {
  private settings: FaultSettings;
  private random: () => number;

  public constructor(settings: FaultSettings) {
    this.settings = { ...settings };
    this.random = settings.seed === null ? Math.random : seeded(settings.seed);
  }

  /** The current settings. */
  public get current(): FaultSettings {
    return { ...this.settings };
  }

  /** Changes some settings; a given seed (or null) restarts the dice. */
  public update(changes: Partial<FaultSettings>): void {
    this.settings = { ...this.settings, ...changes };
    if ('seed' in changes) this.random = this.settings.seed === null ? Math.random : seeded(this.settings.seed);
  }

  /** Added delay of every /v1 request. */
  public get latencyMs(): number {
    return this.settings.latencyMs;
  }

  /**
   * Rolls the dice for one request: at most one fault, checked in a fixed
   * order. A path under `failPaths` is answered `failStatus` whatever the dice say;
   * they are rolled all the same, so switching a path off does not shift the seeded sequence.
   */
  public plan(path: string): FaultPlan {
    const { errorRate, force429Rate, dropRate, dropPhase, failPaths, failStatus } = this.settings;
    const planned = errorRate === 0 && force429Rate === 0 && dropRate === 0 ? NO_FAULT : this.roll(errorRate, force429Rate, dropRate, dropPhase);
    return failPaths.some((prefix) => path.startsWith(prefix)) ? { errorStatus: failStatus, force429: false, drop: null } : planned;
  }

  private roll(errorRate: number, force429Rate: number, dropRate: number, dropPhase: FaultSettings['dropPhase']): FaultPlan {
    const [error, pick, forced, drop, phase] = [this.random(), this.random(), this.random(), this.random(), this.random()];
    if (error < errorRate) {
      return { errorStatus: ERROR_STATUSES[Math.floor(pick * ERROR_STATUSES.length)] ?? 500, force429: false, drop: null };
    }
    if (forced < force429Rate) return { errorStatus: null, force429: true, drop: null };
    if (drop < dropRate) {
      const when = dropPhase === 'random' ? (phase < 0.5 ? 'before' : 'after') : dropPhase;
      return { errorStatus: null, force429: false, drop: when };
    }
    return NO_FAULT;
  }
}
