import { expect } from 'chai';
import { mapProject } from '../../../../src/domain/collections/projects.ts';
import { StatusMaps } from '../../../../src/domain/status-map.ts';
import { aProject } from '../../../helpers/legacy-rows.ts';
import { aMappingContext } from '../../../helpers/mapping-context.ts';
import { expectFailure, expectRequest } from '../../../helpers/mapping-results.ts';

describe('projects mapping', () => {
  it('maps a project row to the exact POST /v1/projects body', () => {
    expect(expectRequest(mapProject(aProject(), aMappingContext()))).to.deep.equal({
      externalRef: 'fp_demo_north:projects:1',
      method: 'POST',
      path: '/v1/projects',
      headers: {},
      body: {
        externalRef: 'fp_demo_north:projects:1',
        code: 'P-001',
        name: 'Glasvezel Noord',
        status: 'IN_PROGRESS',
        municipality: 'Groningen',
        startDate: '2024-01-15',
        endDate: '2024-12-31',
      },
    });
  });

  it("matches a status written ' Active ' ignoring case and surrounding spaces", () => {
    expect(expectRequest(mapProject(aProject({ status: ' Active ' }), aMappingContext())).body.status).to.equal('IN_PROGRESS');
  });

  it('maps planned, completed and cancelled to their target statuses', () => {
    const ctx = aMappingContext({ options: { migrateCompletedProjects: true } });
    const statuses = ['planned', 'completed', 'cancelled'].map((status) => expectRequest(mapProject(aProject({ status }), ctx)).body.status);
    expect(statuses).to.deep.equal(['PLANNED', 'COMPLETED', 'CANCELLED']);
  });

  it("skips a project with status ' done' as completed_project when migrateCompletedProjects is false", () => {
    expectFailure(mapProject(aProject({ status: ' done' }), aMappingContext()), 'completed_project', undefined);
  });

  it("migrates a project with status 'done' as COMPLETED when migrateCompletedProjects is true", () => {
    const ctx = aMappingContext({ options: { migrateCompletedProjects: true } });
    expect(expectRequest(mapProject(aProject({ status: 'done' }), ctx)).body.status).to.equal('COMPLETED');
  });

  it('decides completed_project before an invalid value', () => {
    expectFailure(mapProject(aProject({ status: 'completed', name: '' }), aMappingContext()), 'completed_project', undefined);
  });

  it("fails a status nobody mapped ('on hold') with unmapped_status on status", () => {
    expectFailure(mapProject(aProject({ status: 'on hold' }), aMappingContext()), 'unmapped_status', 'status');
  });

  it("maps 'on hold' when the sub-project's settings.status_map.projects maps it", () => {
    const ctx = aMappingContext({ statusMaps: StatusMaps.resolve({}, { 'status_map.projects': '{"On Hold": "PLANNED"}' }) });
    expect(expectRequest(mapProject(aProject({ status: ' on hold ' }), ctx)).body.status).to.equal('PLANNED');
  });

  it('maps a zero start date to an absent startDate', () => {
    const body = expectRequest(mapProject(aProject({ start_date: '0000-00-00' }), aMappingContext())).body;
    expect(body).to.not.have.property('startDate');
    expect(body.endDate).to.equal('2024-12-31');
  });

  it('maps a NULL end date and an empty municipality to absent fields', () => {
    const body = expectRequest(mapProject(aProject({ end_date: null, municipality: '   ' }), aMappingContext())).body;
    expect(body).to.not.have.any.keys('endDate', 'municipality');
  });

  it('fails an endDate before the startDate with invalid_value on endDate', () => {
    expectFailure(mapProject(aProject({ start_date: '2024-06-01', end_date: '2024-05-31' }), aMappingContext()), 'invalid_value', 'endDate');
  });

  it('fails a date that is not in the calendar (2024-02-30) with invalid_value on startDate', () => {
    expectFailure(mapProject(aProject({ start_date: '2024-02-30' }), aMappingContext()), 'invalid_value', 'startDate');
  });

  it('fails a name over 200 characters with invalid_value on name', () => {
    expectFailure(mapProject(aProject({ name: 'x'.repeat(201) }), aMappingContext()), 'invalid_value', 'name');
  });

  it('fails a name of only spaces with invalid_value on name', () => {
    expectFailure(mapProject(aProject({ name: '  ' }), aMappingContext()), 'invalid_value', 'name');
  });

  it('trims the surrounding spaces of code and name', () => {
    const body = expectRequest(mapProject(aProject({ code: ' P-001 ', name: '\tGlasvezel Noord  ' }), aMappingContext())).body;
    expect([body.code, body.name]).to.deep.equal(['P-001', 'Glasvezel Noord']);
  });

  it('passes a name with emoji and right-to-left script byte-exact', () => {
    const name = 'مشروع الألياف 🏗️👷🏽‍♀️ Zuid';
    const body = expectRequest(mapProject(aProject({ name }), aMappingContext())).body;
    expect(Buffer.from(body.name, 'utf8').equals(Buffer.from(name, 'utf8'))).to.equal(true);
  });
});
