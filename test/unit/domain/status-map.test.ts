import { expect } from 'chai';
import { mapProject } from '../../../src/domain/collections/projects.ts';
import { StatusMaps } from '../../../src/domain/status-map.ts';
import { aProject } from '../../helpers/legacy-rows.ts';
import { aMappingContext } from '../../helpers/mapping-context.ts';
import { expectFailure } from '../../helpers/mapping-results.ts';

describe('status maps', () => {
  it('maps the defaults of docs/mapping.md, statuses', () => {
    const maps = StatusMaps.resolve();
    expect([
      maps.map('projects.status', 'planned'),
      maps.map('projects.status', 'active'),
      maps.map('projects.status', 'completed'),
      maps.map('projects.status', 'done'),
      maps.map('projects.status', 'cancelled'),
      maps.map('addresses.kind', 'residential'),
      maps.map('addresses.kind', 'business'),
      maps.map('addresses.status', 'refused'),
      maps.map('assignments.type', 'activation'),
      maps.map('assignments.status', 'in_progress'),
    ]).to.deep.equal(['PLANNED', 'IN_PROGRESS', 'COMPLETED', 'COMPLETED', 'CANCELLED', 'RESIDENTIAL', 'BUSINESS', 'REFUSED', 'ACTIVATION', 'IN_PROGRESS']);
  });

  it('ignores case and surrounding spaces but not inner spaces', () => {
    const maps = StatusMaps.resolve();
    expect([maps.map('assignments.status', ' IN_PROGRESS '), maps.map('assignments.status', 'in progress')]).to.deep.equal(['IN_PROGRESS', undefined]);
  });

  it('layers defaults ← profile ← sub-project setting, the last one winning', () => {
    const maps = StatusMaps.resolve(
      { projects: { status: { 'On Hold': 'PLANNED', active: 'PLANNED' } } },
      { 'status_map.projects': '{"on hold": "CANCELLED"}' },
    );
    expect([maps.map('projects.status', 'on hold'), maps.map('projects.status', 'active'), maps.map('projects.status', 'done')]).to.deep.equal([
      'CANCELLED',
      'PLANNED',
      'COMPLETED',
    ]);
    expect(maps.issues).to.deep.equal([]);
  });

  it('applies status_map.addresses to the address status, not the kind', () => {
    const maps = StatusMaps.resolve({}, { 'status_map.addresses': '{"aangesloten": "CONNECTED"}' });
    expect([maps.map('addresses.status', 'Aangesloten'), maps.map('addresses.kind', 'aangesloten')]).to.deep.equal(['CONNECTED', undefined]);
  });

  it('applies a profile map of address kinds', () => {
    const maps = StatusMaps.resolve({ addresses: { kind: { zakelijk: 'BUSINESS' } } });
    expect(maps.map('addresses.kind', ' Zakelijk')).to.equal('BUSINESS');
  });

  it('leaves out a setting that is not JSON, lists the issue, and names it in the unmapped_status message', () => {
    const maps = StatusMaps.resolve({}, { 'status_map.projects': '{"on hold": PLANNED}' });
    expect(maps.issues).to.have.length(1);
    expect(maps.issues[0]).to.include({ setting: 'status_map.projects' });
    expect(maps.issues[0]?.issue).to.contain('not valid JSON');
    const failure = expectFailure(mapProject(aProject({ status: 'on hold' }), aMappingContext({ statusMaps: maps })), 'unmapped_status', 'status');
    expect(failure.message).to.contain('status_map.projects');
  });

  it('leaves out a setting that is a JSON array', () => {
    const maps = StatusMaps.resolve({}, { 'status_map.assignments': '["done"]' });
    expect(maps.issues[0]?.issue).to.contain('JSON object');
  });

  it('leaves out a whole setting when one of its targets is not a target status', () => {
    const maps = StatusMaps.resolve({}, { 'status_map.projects': '{"on hold": "PLANNED", "paused": "HOLD"}' });
    expect(maps.map('projects.status', 'on hold')).to.equal(undefined);
    expect(maps.issues[0]?.issue).to.contain('\'paused\' maps to "HOLD"');
  });

  it('reports a status_map setting for a table without statuses and ignores other settings', () => {
    const maps = StatusMaps.resolve({}, { 'status_map.contractors': '{}', 'planboard.team_prefix': 'T-' });
    expect(maps.issues.map((issue) => issue.setting)).to.deep.equal(['status_map.contractors']);
  });
});
