import { expect } from 'chai';
import { mapContractor } from '../../../../src/domain/collections/contractors.ts';
import { aContractor } from '../../../helpers/legacy-rows.ts';
import { aMappingContext } from '../../../helpers/mapping-context.ts';
import { expectFailure, expectRequest } from '../../../helpers/mapping-results.ts';

describe('contractors mapping', () => {
  it('maps a contractor row to the exact POST /v1/contractors body', () => {
    expect(expectRequest(mapContractor(aContractor(), aMappingContext()))).to.deep.equal({
      externalRef: 'fp_demo_north:contractors:5',
      method: 'POST',
      path: '/v1/contractors',
      headers: {},
      body: {
        externalRef: 'fp_demo_north:contractors:5',
        name: 'Graafwerk BV',
        kvkNumber: '12345678',
        email: 'planning@graafwerk.example',
        phone: '+31 50 123 4567',
      },
    });
  });

  it("maps a KvK number written '1234 5678' to '12345678'", () => {
    expect(expectRequest(mapContractor(aContractor({ kvk_number: ' 1234 5678 ' }), aMappingContext())).body.kvkNumber).to.equal('12345678');
  });

  it('fails a KvK number of the wrong length with invalid_value on kvkNumber', () => {
    expectFailure(mapContractor(aContractor({ kvk_number: '1234567' }), aMappingContext()), 'invalid_value', 'kvkNumber');
  });

  it('fails an e-mail address that is not one with invalid_value on email', () => {
    expectFailure(mapContractor(aContractor({ email: 'planning at graafwerk' }), aMappingContext()), 'invalid_value', 'email');
  });

  it('maps empty optional kvk number, e-mail and phone to absent fields', () => {
    const body = expectRequest(mapContractor(aContractor({ kvk_number: ' ', email: '', phone: null }), aMappingContext())).body;
    expect(body).to.deep.equal({ externalRef: 'fp_demo_north:contractors:5', name: 'Graafwerk BV' });
  });

  it('passes a Hebrew name with an emoji byte-exact', () => {
    const name = 'קבלן סיבים 🔧';
    expect(expectRequest(mapContractor(aContractor({ name }), aMappingContext())).body.name).to.equal(name);
  });
});
