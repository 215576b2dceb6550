import { describe, expect, it } from 'vitest';
import { loadModel } from '../models/models.js';
import { OperationValidators } from './operation-validators.js';
import { ShapeResolver } from '../models/shapes.js';
import { ValidatorCompiler, validationMessage, type Problems } from './validate.js';

const lambda = loadModel('lambda');
const logs = loadModel('logs');
const cloudwatch = loadModel('cloudwatch');
const lambdaShapes = new ShapeResolver(lambda);
const logsShapes = new ShapeResolver(logs);
const cloudwatchShapes = new ShapeResolver(cloudwatch);
const checking = new ValidatorCompiler({});
const lambdaOp = (op: string) => checking.input(lambdaShapes.operationShape(lambda.operations[op].input)!);
const messageOf = (problems: Problems | undefined) => (problems ? validationMessage(problems.constraint) : undefined);

const FUNCTION = { FunctionName: 'f', Role: 'arn:aws:iam::000000000000:role/r', Code: { ZipFile: Buffer.from('zip') } };
const RUNTIMES = lambda.shapes.Runtime.enum.join(', ');

describe('enums, with an EnumPolicy (as the edge runs every service)', () => {
  it.each([
    ['PackageType', lambdaOp('CreateFunction'), { ...FUNCTION, PackageType: 'Floppy' }, "Value 'Floppy' at 'packageType' failed to satisfy constraint: Member must satisfy enum value set: [Zip, Image]"],
    ['a nested member', lambdaOp('CreateFunction'), { ...FUNCTION, TracingConfig: { Mode: 'Loud' } }, "Value 'Loud' at 'tracingConfig.mode' failed to satisfy constraint: Member must satisfy enum value set: [Active, PassThrough]"],
    ['list items, once on the list', lambdaOp('PublishLayerVersion'), { LayerName: 'l', Content: {}, CompatibleRuntimes: ['nodejs20.x', 'cobol'] }, `Value '[nodejs20.x, cobol]' at 'compatibleRuntimes' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${RUNTIMES}]]`],
    ['a querystring member', lambdaOp('ListFunctions'), { FunctionVersion: 'LATEST' }, "Value 'LATEST' at 'functionVersion' failed to satisfy constraint: Member must satisfy enum value set: [ALL]"],
    ['logs orderBy', checking.input(logsShapes.operationShape(logs.operations.DescribeLogStreams.input)!), { logGroupName: 'g', orderBy: 'Random' }, "Value 'Random' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [LogStreamName, LastEventTime]"],
  ])('refuses a value outside the set: %s', (_what, validate, input, error) => {
    expect(messageOf(validate(input))).toBe(`1 validation error detected: ${error}`);
  });

  it('accepts every value of the set', () => {
    for (const mode of ['Active', 'PassThrough']) expect(lambdaOp('CreateFunction')({ ...FUNCTION, TracingConfig: { Mode: mode } })).toBeUndefined();
  });

  it("joins enum failures with the others in AWS's multi-error form", () => {
    expect(messageOf(lambdaOp('CreateFunction')({ ...FUNCTION, MemorySize: 100, PackageType: 'Floppy' }))).toBe(
      '2 validation errors detected: ' +
        "Value '100' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128; " +
        "Value 'Floppy' at 'packageType' failed to satisfy constraint: Member must satisfy enum value set: [Zip, Image]",
    );
  });

  it('skips enum shapes the policy leaves to the handler, only those', () => {
    const compiler = new ValidatorCompiler({ except: new Set(['Runtime']) });
    const validate = compiler.input(lambdaShapes.operationShape(lambda.operations.CreateFunction.input)!);
    expect(validate({ ...FUNCTION, Runtime: 'cobol85' })).toBeUndefined();
    expect(messageOf(validate({ ...FUNCTION, Runtime: 'cobol85', PackageType: 'Floppy' }))).toContain("at 'packageType'");
  });

  it('reports a union without exactly one member as a parse problem', () => {
    const validate = checking.input(cloudwatchShapes.operationShape(cloudwatch.operations.PutMetricAlarm.input)!);
    const alarm = { AlarmName: 'a', EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanThreshold' };
    expect(validate({ ...alarm, EvaluationCriteria: {} })?.type).toEqual(["expected exactly one member of the union at 'evaluationCriteria', got 0"]);
    expect(validate({ ...alarm, EvaluationCriteria: { PromQLCriteria: { Query: 'up' } } })).toBeUndefined();
  });
});

describe('OperationValidators (the edge: every enum, minus handlerEnums per operation)', () => {
  const validators = new OperationValidators(lambda, { CreateFunction: ['Runtime'] });
  const validatorOf = (op: string) => validators.forOperation(op, lambdaShapes.operationShape(lambda.operations[op].input))!;

  it('leaves the named enum to one operation and checks it everywhere else', () => {
    expect(validatorOf('CreateFunction')({ ...FUNCTION, Runtime: 'cobol' })).toBeUndefined();
    expect(messageOf(validatorOf('CreateFunction')({ ...FUNCTION, PackageType: 'Floppy' }))).toContain("at 'packageType'");
    expect(messageOf(validatorOf('PublishLayerVersion')({ LayerName: 'l', Content: {}, CompatibleRuntimes: ['cobol'] }))).toContain("at 'compatibleRuntimes'");
    expect(messageOf(validatorOf('UpdateFunctionConfiguration')({ FunctionName: 'f', Runtime: 'cobol' }))).toContain("at 'runtime'");
  });

  it.each([
    [{ CreateFunktion: ['Runtime'] }, 'CreateFunktion is not an operation of the model'],
    [{ CreateFunction: ['Runtimes'] }, 'CreateFunction: Runtimes is not an enum shape of the model'],
    [{ CreateFunction: ['FunctionName'] }, 'CreateFunction: FunctionName is not an enum shape of the model'],
    [{ constructor: ['Runtime'] }, 'constructor is not an operation of the model'],
  ])('refuses a misspelt exemption at start-up: %j', (exempt, error) => {
    expect(() => new OperationValidators(lambda, exempt)).toThrow(error);
  });
});
