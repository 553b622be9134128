import { appendFileSync, createReadStream, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';

/** One CloudWatch Embedded Metric Format document: the metrics' definitions under `_aws`, their dimension, metadata and metric values beside. */
export interface EmfDocument {
  _aws: { Timestamp: number; CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit?: string }[] }[] };
  [field: string]: unknown;
}

/**
 * Where the embedded runtime keeps the metrics the functions write: on AWS,
 * CloudWatch Logs reads the EMF lines a function writes on stdout and turns
 * them into metrics; here the Lambda endpoint hands every stdout line of its
 * instances to {@link MetricsLog.isEmf}, and the EMF ones are appended to
 * this file (`metrics.jsonl` in the runtime's data folder), one document a
 * line, so a test or a person reads the same metrics a stage's dashboard
 * shows. Lines are appended synchronously: none is lost when the process ends.
 */
export class MetricsLog {
  readonly #path: string;

  public constructor(path: string) {
    this.#path = path;
    mkdirSync(dirname(path), { recursive: true });
  }

  /** The file the lines go to. */
  public get path(): string {
    return this.#path;
  }

  /** Whether a line of a function's stdout is an EMF document (what CloudWatch Logs extracts metrics from). */
  public static isEmf(line: string): boolean {
    if (!line.startsWith('{') || !line.includes('"_aws"')) return false;
    try {
      const document = JSON.parse(line) as Partial<EmfDocument>;
      return Array.isArray(document._aws?.CloudWatchMetrics);
    } catch {
      return false;
    }
  }

  /** Appends one EMF line. */
  public append(line: string): void {
    appendFileSync(this.#path, `${line}\n`);
  }
}

/** The EMF documents of a metrics log, in the order they were written; none when there is no log. */
export async function readMetricsLog(path: string): Promise<EmfDocument[]> {
  if (!existsSync(path)) return [];
  const documents: EmfDocument[] = [];
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    if (line.trim()) documents.push(JSON.parse(line) as EmfDocument);
  }
  return documents;
}
