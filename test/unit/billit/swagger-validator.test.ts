import { describe, expect, it } from 'vitest';
import { findOperation, loadSwagger, validate } from '../../integration/billit/swagger';

/** The contract tests are only as good as this checker: it must catch what a wrong simulator would send. */
describe('swagger 2.0 checker', () => {
  const swagger = loadSwagger();
  const order = { $ref: '#/definitions/Order' };

  it('accepts a Billit-shaped order and rejects wrong types, formats, nulls and invented fields', () => {
    const good = {
      OrderID: 1077603,
      CompanyID: 574991,
      OrderNumber: 'QS-001',
      OrderDate: '2025-09-01T00:00:00',
      LastModified: '2025-04-25T16:22:25.457',
      TotalIncl: 44.04,
      Paid: false,
      OrderPDF: { FileID: '28acb9ee-0000-4000-8000-000000000001' },
      OrderLines: [{ Quantity: 2, UnitPriceExcl: 12, VATPercentage: 21 }],
      CustomFields: { Name: 'x' },
    };
    expect(validate(swagger, order, good, { strict: true })).toEqual([]);
    expect(validate(swagger, order, { ...good, OrderID: '1077603' })).toEqual(['$.OrderID: expected an integer']);
    expect(validate(swagger, order, { ...good, OrderID: 2 ** 31 })).toEqual([`$.OrderID: ${2 ** 31} is out of int32 range`]);
    expect(validate(swagger, order, { ...good, OrderDate: '01/09/2025' })).toEqual(["$.OrderDate: '01/09/2025' is not a date-time"]);
    expect(validate(swagger, order, { ...good, OrderPDF: { FileID: 'nope' } })).toEqual(["$.OrderPDF.FileID: 'nope' is not a uuid"]);
    expect(validate(swagger, order, { ...good, OrderNumber: null })).toEqual(['$.OrderNumber: null is not allowed']);
    expect(validate(swagger, order, { ...good, Invented: 1 }, { strict: true })).toEqual(['$.Invented: not a property of the schema']);
    expect(validate(swagger, order, { ...good, Invented: 1 })).toEqual([]);
    expect(validate(swagger, order, { ...good, CustomFields: { Name: 3 } })).toEqual(['$.CustomFields.Name: expected a string']);
    expect(validate(swagger, order, { ...good, OrderLines: [{ Quantity: 'two' }] })).toEqual(['$.OrderLines[0].Quantity: expected a number']);
  });

  it('checks enums and base64 bytes', () => {
    expect(validate(swagger, { $ref: '#/definitions/Party' }, { PartyType: 'Client' })).toEqual([
      '$.PartyType: "Client" is not one of Customer, Supplier',
    ]);
    expect(validate(swagger, { $ref: '#/definitions/File' }, { FileContent: 'SGVsbG8=' })).toEqual([]);
    expect(validate(swagger, { $ref: '#/definitions/File' }, { FileContent: 'not base64!' })).toEqual(['$.FileContent: not base64']);
  });

  it('maps concrete paths to operations, literal segments first, case-insensitively', () => {
    expect(findOperation(swagger, 'GET', '/v1/orders/deleted')?.template).toBe('/v1/orders/deleted');
    expect(findOperation(swagger, 'GET', '/v1/orders/123')?.template).toBe('/v1/orders/{orderID}');
    expect(findOperation(swagger, 'get', '/V1/Account/AccountInformation')?.template).toBe('/v1/account/accountInformation');
    expect(findOperation(swagger, 'POST', '/v1/orders/123')).toBeNull();
    expect(findOperation(swagger, 'GET', '/v1/accountant/feeds/x/12')?.template).toBe('/v1/accountant/feeds/{feedName}/{feedItemID}');
    expect(findOperation(swagger, 'GET', '/portal-modelled/v1/companies/0417497106')).toBeNull();
  });
});
