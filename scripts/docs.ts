import { writeGeneratedDocs } from '../tooling/static/generated-docs.ts';

// Writes the tables of docs/run-options.md and docs/environment-variables.md from the definitions they describe.
const changed = writeGeneratedDocs();
console.log(changed.length > 0 ? `rewrote ${changed.join(', ')}` : 'every generated table is up to date');
