/** Where a run's report lives in the bucket (and, locally, under reports/ in the working tree). */
export function reportKeys(customer: string, runId: string): { folder: string; json: string; html: string } {
  const folder = `reports/${customer}/${runId}`;
  return { folder, json: `${folder}/report.json`, html: `${folder}/report.html` };
}

/** A sub-project's fix list, relative to the report's folder (report.html links to it so). */
export function fixListFile(database: string): string {
  return `fixlists/${database}.csv`;
}
