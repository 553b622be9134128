/** Where a run's report lives in the bucket (and, locally, under reports/ in the working tree). */
export function reportKeys(customer: string, runId: string): { json: string; html: string } {
  const folder = `reports/${customer}/${runId}`;
  return { json: `${folder}/report.json`, html: `${folder}/report.html` };
}
