import type { VerifySettings } from '../handler/index.ts';
import type { Collection } from '../domain/index.ts';
import type { BALANCE_FIGURES, VERIFY_LISTS } from './constants.ts';

/** One of the lists of a verification: `missing`, `stray`, `changedInTarget`, `changedInSource`. */
export type VerifyList = (typeof VERIFY_LISTS)[number];

/** One of a collection's balance figures. */
export type BalanceFigure = (typeof BALANCE_FIGURES)[number];

/** A record on one of the lists. */
export interface VerifyFinding {
  externalRef: string;
  targetId: string;
}

/** What one step found on one page: counts and findings, stored under the page's own key so a retried step overwrites them. */
export interface PageFigures {
  /** Balance figures of source rows (source step). */
  balance?: Partial<Record<BalanceFigure, number>>;
  /** Target records listed with one of the customer's externalRefs (target step). */
  listed?: number;
  /** Ledger entries shown migrated that were looked for in the listing (ledger step). */
  ledgerMigrated?: number;
}

/** A figure row as the store keeps it: one step's page of one collection and sub-project. */
export interface StoredFigures extends PageFigures {
  collection: Collection;
  database: string;
}

/** What the start step hands the state machine. */
export interface VerifyPlan {
  customer: string;
  runId: string;
  settings: VerifySettings;
  /** Every registered database of the customer: an externalRef naming one is the customer's. */
  databases: string[];
  /** Collections with a listing of their own (work-order updates are their work orders). */
  listings: Collection[];
  /** Collections whose source and ledger are checked, each in every active sub-project. */
  collections: Collection[];
  /** The active sub-projects (the ones a migration migrates). */
  subprojects: string[];
}

/** The figures and list counts of one collection or sub-project in verify.json. */
export type VerifyCounts = Record<BalanceFigure, number> & { listed: number; ledgerMigrated: number };

/** One collection of verify.json: the balance, the lists in full, and per sub-project figures with list counts. */
export interface VerifyEntity extends VerifyCounts, Record<VerifyList, VerifyFinding[]> {
  subprojects: Record<string, VerifyCounts & Record<VerifyList, number>>;
}

/** verify.json without its lists: what the CLI prints and verify.html shows. */
export interface VerifySummary {
  customer: string;
  runId: string;
  kind: 'verify';
  startedAt: string;
  finishedAt: string;
  /** SUCCEEDED when every step ran; FAILED when one did not (then nothing is proven: `ok` is false). */
  status: 'SUCCEEDED' | 'FAILED';
  /** Nothing missing, nothing stray, every step ran. */
  ok: boolean;
  /** The migration run that was the customer's latest when the verification started. */
  latestRunId?: string;
  error?: string;
  entities: Record<Collection, Omit<VerifyEntity, VerifyList> & Record<VerifyList, { count: number; sample: VerifyFinding[] }>>;
}
