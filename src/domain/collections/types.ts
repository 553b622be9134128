import type { AddressRow, AssignmentRow, Collection, ContractorRow, DocumentRow, LegacyTable, MappingResult, PlanboardSlotRow, ProjectRow } from '../index.ts';
import type {
  ConnectionBody,
  ContractorBody,
  MappedRequest,
  MappingContext,
  ParentReference,
  PlanboardSlotBody,
  ProjectBody,
  TargetCall,
  WorkOrderBody,
  WorkOrderUpdateBody,
} from '../mapping/index.ts';

/** The legacy row type each collection reads. */
export interface RowOf {
  projects: ProjectRow;
  contractors: ContractorRow;
  connections: AddressRow;
  'work-orders': AssignmentRow;
  'work-order-updates': AssignmentRow;
  documents: DocumentRow;
  'planboard-slots': PlanboardSlotRow;
}

/** The request body each collection sends: JSON, or the document's bytes. */
export interface BodyOf {
  projects: ProjectBody;
  contractors: ContractorBody;
  connections: ConnectionBody;
  'work-orders': WorkOrderBody;
  'work-order-updates': WorkOrderUpdateBody;
  documents: Buffer;
  'planboard-slots': PlanboardSlotBody;
}

/** Everything the engine knows about one collection: where its rows come from, how they map, where they go. */
export interface CollectionDefinition<C extends Collection = Collection> {
  readonly collection: C;
  /** The legacy table the rows come from. */
  readonly table: LegacyTable;
  /** The schema (src/domain/schemas/) the mapped body is validated with. */
  readonly schema: Collection;
  /** Parent references, in the order they are checked. */
  readonly parents: readonly ParentReference[];
  /**
   * One keyset page over an id range: parameters `[afterId, lastId, limit]`
   * for `t.id > afterId AND t.id <= lastId`, ordered by id; never OFFSET.
   */
  readonly sourceQuery: string;
  /**
   * A table whose rows carry a blob (documents): `sourceQuery` selects it as
   * NULL with its real length (`LENGTH()`, never trusting a size column), and
   * `query` reads the blobs of the ids given (`[ids]`) once the page knows
   * which fit its byte budget.
   */
  readonly content?: { readonly column: string; readonly lengthColumn: string; readonly query: string };
  /** `min_id`, `max_id` and `row_count` of the table: for splitting it into id ranges and for the report's `source`. */
  readonly boundsQuery: string;
  readonly target: TargetCall;
  /**
   * Where one migrated record lives in FiberConnect (read for its version,
   * patched by a delta): absent, at the create path and its target id
   * (`/v1/projects/{id}`); `'request'`, at the mapped request's own path (a
   * work-order update names its work order); or a path with `{targetId}`.
   */
  readonly recordAt?: 'request' | `/${string}{targetId}`;
  /**
   * The collection whose FiberConnect record this one's records are (a
   * work-order update is its work order): never listed, marked deleted in
   * the source or removed on its own, and its `If-Match` is that record's
   * latest version by the engine.
   */
  readonly partOf?: Collection;
  /**
   * True when records of one message group must reach the target in id order
   * (of two equal addresses the lower id wins): read by one producer and sent
   * one after the other, never side by side.
   */
  readonly ordered: boolean;
  /** The record's externalRef (the legacy table name, as docs/mapping.md says). */
  externalRef(database: string, row: RowOf[C]): string;
  /**
   * The SQS FIFO MessageGroupId of a row, one of `groups` buckets: records
   * whose order matters (duplicate addresses) share a group.
   */
  messageGroupId(row: RowOf[C], database: string, groups: number): string;
  /** Maps one row to its target call, or to the reason there is none (docs/mapping.md, "Order of checks"). */
  map(row: RowOf[C], ctx: MappingContext): MappingResult<MappedRequest<BodyOf[C]>>;
}
