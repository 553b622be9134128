import { expect } from 'chai';
import { connections, mapConnection } from '../../../../src/domain/collections/connections.ts';
import { anAddress } from '../../../helpers/legacy-rows.ts';
import { aMappingContext } from '../../../helpers/mapping-context.ts';
import { expectFailure, expectRequest } from '../../../helpers/mapping-results.ts';

describe('connections mapping', () => {
  it('maps an address row to the exact POST /v1/connections body', () => {
    expect(expectRequest(mapConnection(anAddress({ house_letter: 'a', house_addition: 'bis' }), aMappingContext()))).to.deep.equal({
      externalRef: 'fp_demo_north:addresses:10',
      method: 'POST',
      path: '/v1/connections',
      headers: {},
      body: {
        externalRef: 'fp_demo_north:addresses:10',
        projectId: 'projects-1',
        address: { postcode: '9711AB', houseNumber: 12, houseLetter: 'a', houseAddition: 'bis', street: 'Herestraat', city: 'Groningen' },
        location: { lat: 53.2193835, lon: 6.5665018 },
        type: 'RESIDENTIAL',
        status: 'NEW',
      },
    });
  });

  it("maps a postcode written '1234 ab' to '1234AB'", () => {
    expect(expectRequest(mapConnection(anAddress({ postcode: '1234 ab' }), aMappingContext())).body.address.postcode).to.equal('1234AB');
  });

  it("maps a postcode written '1234AB ' to '1234AB'", () => {
    expect(expectRequest(mapConnection(anAddress({ postcode: '1234AB ' }), aMappingContext())).body.address.postcode).to.equal('1234AB');
  });

  it('fails an invalid postcode with invalid_value on address.postcode', () => {
    expectFailure(mapConnection(anAddress({ postcode: '0123 AB' }), aMappingContext()), 'invalid_value', 'address.postcode');
  });

  it('fails a house number of 0 with invalid_value on address.houseNumber', () => {
    expectFailure(mapConnection(anAddress({ house_number: 0 }), aMappingContext()), 'invalid_value', 'address.houseNumber');
  });

  it('fails a house letter of two letters with invalid_value on address.houseLetter', () => {
    expectFailure(mapConnection(anAddress({ house_letter: 'ab' }), aMappingContext()), 'invalid_value', 'address.houseLetter');
  });

  it('fails swapped latitude and longitude with invalid_value on location.lat', () => {
    expectFailure(mapConnection(anAddress({ latitude: '6.5665018', longitude: '53.2193835' }), aMappingContext()), 'invalid_value', 'location.lat');
  });

  it('fails a longitude outside the Netherlands with invalid_value on location.lon', () => {
    expectFailure(mapConnection(anAddress({ longitude: '8.1000000' }), aMappingContext()), 'invalid_value', 'location.lon');
  });

  it('names the address field before the location when both are invalid (order of the target fields)', () => {
    expectFailure(mapConnection(anAddress({ house_number: 0, latitude: '6.5' }), aMappingContext()), 'invalid_value', 'address.houseNumber');
  });

  it('sends no location when only one coordinate is present', () => {
    expect(expectRequest(mapConnection(anAddress({ longitude: null }), aMappingContext())).body).to.not.have.property('location');
  });

  it('maps empty house letter and addition to absent fields', () => {
    const body = expectRequest(mapConnection(anAddress({ house_letter: ' ', house_addition: '' }), aMappingContext())).body;
    expect(body.address).to.not.have.any.keys('houseLetter', 'houseAddition');
  });

  it("maps kind ' Business' to BUSINESS and status 'CONNECTED ' to CONNECTED", () => {
    const body = expectRequest(mapConnection(anAddress({ kind: ' Business', status: 'CONNECTED ' }), aMappingContext())).body;
    expect([body.type, body.status]).to.deep.equal(['BUSINESS', 'CONNECTED']);
  });

  it('fails a kind nobody mapped with unmapped_status on type', () => {
    expectFailure(mapConnection(anAddress({ kind: 'industrial' }), aMappingContext()), 'unmapped_status', 'type');
  });

  it('fails an address status nobody mapped with unmapped_status on status', () => {
    expectFailure(mapConnection(anAddress({ status: 'pending' }), aMappingContext()), 'unmapped_status', 'status');
  });

  it('fails an address whose project does not exist in the legacy database with orphan on projectId', () => {
    expectFailure(mapConnection(anAddress({ project_id: 99, project_id_exists: 0 }), aMappingContext()), 'orphan', 'projectId');
  });

  it('fails an address whose project failed with parent_failed on projectId', () => {
    const ctx = aMappingContext({}, { 'projects:1': { state: 'failed', code: 'invalid_value' } });
    expectFailure(mapConnection(anAddress(), ctx), 'parent_failed', 'projectId');
  });

  it('fails an address whose project the ledger has not seen with parent_failed on projectId', () => {
    expectFailure(mapConnection(anAddress(), aMappingContext({}, { 'projects:1': undefined })), 'parent_failed', 'projectId');
  });

  it('skips an address under a skipped COMPLETED project with completed_project', () => {
    const ctx = aMappingContext({}, { 'projects:1': { state: 'skipped', code: 'completed_project' } });
    expectFailure(mapConnection(anAddress(), ctx), 'completed_project', undefined);
  });

  it('checks the parent before the statuses', () => {
    expectFailure(mapConnection(anAddress({ project_id_exists: 0, kind: 'industrial' }), aMappingContext()), 'orphan', 'projectId');
  });

  it('puts two addresses that are the same after normalisation in one message group', () => {
    const first = anAddress({ id: 10, postcode: '9711 ab', house_letter: 'A', house_addition: ' bis' });
    const second = anAddress({ id: 900, postcode: '9711AB ', house_letter: 'a', house_addition: 'BIS' });
    for (const groups of [4, 8, 16, 64]) {
      expect(connections.messageGroupId(first, 'fp_demo_north', groups)).to.equal(connections.messageGroupId(second, 'fp_demo_north', groups));
    }
  });

  it('spreads different addresses over the message groups', () => {
    const groups = new Set(Array.from({ length: 50 }, (_, i) => connections.messageGroupId(anAddress({ house_number: i + 1 }), 'fp_demo_north', 8)));
    expect(groups.size).to.be.greaterThan(4);
    for (const group of groups) expect(Number(group)).to.be.within(0, 7);
  });
});
