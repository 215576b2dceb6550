import { describe, expect, it } from 'vitest';
import { errorCatalogue, modelErrorStatus } from './error-catalogue.js';
import type { ServiceModel } from './service-definition.js';

const model: ServiceModel = {
  metadata: { protocol: 'json', endpointPrefix: 'demo', apiVersion: '2020-01-01', serviceId: 'Demo' },
  operations: {},
  shapes: {
    NotFound: { type: 'structure', members: {}, exception: true, error: { httpStatusCode: 404 } },
    Plain: { type: 'structure', members: {}, exception: true },
    NotAnError: { type: 'structure', members: {} },
  },
};

describe('error catalogues', () => {
  it('takes each status from the model (400 when the model names none)', () => {
    const errors = errorCatalogue(model, { notFound: { code: 'NotFound', fields: { Type: 'User' } }, plain: { code: 'Plain' } });
    const e = errors.notFound('gone', { fields: { Reason: 'x' }, headers: { 'Retry-After': '1' } });
    expect([e.code, e.status, e.message, e.fields, e.headers]).toEqual(['NotFound', 404, 'gone', { Type: 'User', Reason: 'x' }, { 'Retry-After': '1' }]);
    expect(errors.plain('p').status).toBe(400);
    expect(modelErrorStatus(model, 'NotAnError')).toBeUndefined();
    expect(modelErrorStatus(model, 'toString')).toBeUndefined();
  });

  it('refuses a code the model lacks unless it is declared off-model with a reason', () => {
    expect(() => errorCatalogue(model, { x: { code: 'Missing' } })).toThrow(/not an error shape/);
    expect(() => errorCatalogue(model, { x: { code: 'NotAnError' } })).toThrow(/not an error shape/);
    expect(() => errorCatalogue(model, { x: { code: 'Missing', offModel: { status: 413, reason: '' } } })).toThrow(/say why/);
    expect(() => errorCatalogue(model, { x: { code: 'NotFound', offModel: { status: 404, reason: 'r' } } })).toThrow(/needs no offModel/);
    expect(errorCatalogue(model, { x: { code: 'Missing', offModel: { status: 413, reason: 'AWS sends it' } } }).x('m').status).toBe(413);
  });
});
