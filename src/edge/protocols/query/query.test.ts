import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { AwsError } from '../../../shared/errors.js';
import { loadModel } from '../../../kit/models/models.js';
import { RequestTarget } from '../../../kit/http/request-target.js';
import type { ServiceModel } from '../../../kit/service-definition.js';
import type { ProtocolRequest } from '../protocol.js';
import { textRecorder, thrown } from '../protocol.test-support.js';
import { createQueryProtocol, isQueryRequest } from './query.js';

const options = { serializationErrorCode: 'SerializationException', payloadContentType: 'application/octet-stream' };
const cloudwatch = createQueryProtocol(loadModel('cloudwatch'), options);
const FORM: IncomingHttpHeaders = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

function request(body: string, method = 'POST', url = '/'): ProtocolRequest {
  return { method, target: new RequestTarget(url), headers: method === 'POST' ? FORM : {}, body: Buffer.from(body) };
}

function parse(req: ProtocolRequest, protocol = cloudwatch) {
  const routed = protocol.route(req);
  return { op: routed.name, input: protocol.readInput(routed, req) };
}

describe('query protocol (cloudwatch model)', () => {
  it('reads nested lists of structures, numbers and timestamps as the aws CLI sends them', () => {
    const body =
      'Action=PutMetricData&Version=2010-08-01&Namespace=App%2FOrders' +
      '&MetricData.member.1.MetricName=Latency&MetricData.member.1.Value=1.5&MetricData.member.1.Unit=Milliseconds' +
      '&MetricData.member.1.Timestamp=2026-01-01T00%3A00%3A00Z' +
      '&MetricData.member.1.Dimensions.member.1.Name=Stage&MetricData.member.1.Dimensions.member.1.Value=prod+eu' +
      '&MetricData.member.2.MetricName=Size&MetricData.member.2.Values.member.1=1&MetricData.member.2.Values.member.2=2' +
      '&MetricData.member.2.Counts.member.1=3&MetricData.member.2.Counts.member.2=4';
    const { op, input } = parse(request(body));
    expect(op).toBe('PutMetricData');
    expect(input).toEqual({
      Namespace: 'App/Orders',
      MetricData: [
        {
          MetricName: 'Latency',
          Value: 1.5,
          Unit: 'Milliseconds',
          Timestamp: new Date('2026-01-01T00:00:00Z'),
          Dimensions: [{ Name: 'Stage', Value: 'prod eu' }],
        },
        { MetricName: 'Size', Values: [1, 2], Counts: [3, 4] },
      ],
    });
  });

  it('reads an empty value as an empty list, and GET requests from the query string', () => {
    expect(parse(request('Action=ListMetrics&Dimensions=')).input).toEqual({ Dimensions: [] });
    const get = request('', 'GET', '/?Action=ListMetrics&Namespace=AWS%2FLambda');
    expect(isQueryRequest(get)).toBe(true);
    expect(parse(get).input).toEqual({ Namespace: 'AWS/Lambda' });
  });

  it('reads maps and flattened lists by the model', () => {
    const model: ServiceModel = {
      metadata: { protocol: 'query', endpointPrefix: 't', apiVersion: '1', xmlNamespace: 'urn:t' },
      operations: { Op: { input: { shape: 'In' }, output: { shape: 'Out', resultWrapper: 'OpResult' } } },
      shapes: {
        In: { type: 'structure', members: { Attrs: { shape: 'Attrs', locationName: 'Attribute' }, Ids: { shape: 'Ids' } } },
        Attrs: { type: 'map', key: { shape: 'S', locationName: 'Name' }, value: { shape: 'S', locationName: 'Value' }, flattened: true },
        Ids: { type: 'list', member: { shape: 'S', locationName: 'Id' } },
        Out: { type: 'structure', members: { Tags: { shape: 'Tags' }, Names: { shape: 'Names' }, At: { shape: 'T' } } },
        Tags: { type: 'map', key: { shape: 'S' }, value: { shape: 'S' } },
        Names: { type: 'list', member: { shape: 'S' }, flattened: true },
        S: { type: 'string' },
        T: { type: 'timestamp' },
      },
    };
    const q = createQueryProtocol(model, options);
    const body = 'Action=Op&Attribute.1.Name=a&Attribute.1.Value=1&Attribute.2.Name=b&Attribute.2.Value=2&Ids.Id.1=x&Ids.Id.2=y';
    expect(parse(request(body), q).input).toEqual({ Attrs: { a: '1', b: '2' }, Ids: ['x', 'y'] });
    const { res, out } = textRecorder();
    q.writeOutput(res, q.route(request('Action=Op')), { Tags: { k: 'v<' }, Names: ['n1', 'n2'], At: new Date(0), Unknown: 1 });
    expect(out.body).toBe(
      '<OpResponse xmlns="urn:t"><OpResult><Tags><entry><key>k</key><value>v&lt;</value></entry></Tags>' +
        '<Names>n1</Names><Names>n2</Names><At>1970-01-01T00:00:00.000Z</At></OpResult>' +
        '<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></OpResponse>',
    );
  });

  it('writes outputs in the result wrapper, lists as members, and operations without output as metadata only', () => {
    const { res, out } = textRecorder();
    cloudwatch.writeOutput(res, cloudwatch.route(request('Action=GetMetricStatistics')), {
      Label: 'Latency',
      Datapoints: [{ Timestamp: new Date('2026-01-01T00:00:00Z'), Sum: 3, Unit: 'Count', ExtendedStatistics: { p99: 2.5 } }],
    });
    expect(out.status).toBe(200);
    expect(out.headers['Content-Type']).toBe('text/xml');
    expect(out.body).toBe(
      '<GetMetricStatisticsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><GetMetricStatisticsResult>' +
        '<Label>Latency</Label><Datapoints><member><Timestamp>2026-01-01T00:00:00.000Z</Timestamp><Sum>3</Sum>' +
        '<Unit>Count</Unit><ExtendedStatistics><entry><key>p99</key><value>2.5</value></entry></ExtendedStatistics></member>' +
        '</Datapoints></GetMetricStatisticsResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>' +
        '</GetMetricStatisticsResponse>',
    );
    const put = textRecorder();
    cloudwatch.writeOutput(put.res, cloudwatch.route(request('Action=PutMetricData')), {});
    expect(put.out.body).toBe(
      '<PutMetricDataResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><ResponseMetadata>' +
        '<RequestId>req-1</RequestId></ResponseMetadata></PutMetricDataResponse>',
    );
  });

  it('writes errors with the query code from the model', () => {
    const { res, out } = textRecorder();
    cloudwatch.writeError(res, new AwsError('InvalidParameterValueException', 'The value & is bad', 400));
    expect(out.status).toBe(400);
    expect(out.body).toBe(
      '<ErrorResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><Error><Type>Sender</Type>' +
        '<Code>InvalidParameterValue</Code><Message>The value &amp; is bad</Message></Error><RequestId>req-1</RequestId></ErrorResponse>',
    );
  });

  it('writes model validation failures as ValidationError, as the query services do', () => {
    const { res, out } = textRecorder();
    cloudwatch.writeError(res, new AwsError('ValidationException', '1 validation error detected: x', 400));
    expect(out.body).toContain('<Code>ValidationError</Code><Message>1 validation error detected: x</Message>');
  });

  it('rejects unknown actions, unreadable values and constraint failures', () => {
    expect(thrown(() => cloudwatch.route(request('Action=Nope'))).code).toBe('UnknownOperationException');
    expect(thrown(() => cloudwatch.route(request('Version=1'))).message).toBe('Missing Action parameter.');
    const bad = thrown(() => parse(request('Action=PutMetricData&Namespace=N&MetricData.member.1.MetricName=m&MetricData.member.1.Value=abc')));
    expect([bad.code, bad.message]).toEqual(['SerializationException', 'Invalid value for parameter MetricData.member.1.Value: expected double.']);
    const missing = thrown(() => parse(request('Action=GetMetricStatistics&Namespace=N')));
    expect(missing.code).toBe('ValidationException');
    expect(missing.message).toContain("Value null at 'metricName' failed to satisfy constraint: Member must not be null");
  });
});
