import { describe, expect, it } from 'vitest';
import { loadModel } from '../models/models.js';
import { ShapeResolver } from '../models/shapes.js';
import { ValidatorCompiler, validationMessage, type Problems } from './validate.js';

const lambda = loadModel('lambda');
const resolver = new ShapeResolver(lambda);
const compiler = new ValidatorCompiler();
const validatorFor = (op: string) => compiler.input(resolver.operationShape(lambda.operations[op].input)!);
const createFunction = validatorFor('CreateFunction');

const valid = {
  FunctionName: 'my-function',
  Role: 'arn:aws:iam::000000000000:role/lambda-role',
  Code: { ZipFile: Buffer.from('zip') },
};

const messageOf = (problems: Problems | undefined) => (problems ? validationMessage(problems.constraint) : undefined);

describe('model validation (lambda model)', () => {
  it('accepts a valid input, and does not check enums', () => {
    expect(createFunction(valid)).toBeUndefined();
    expect(createFunction({ ...valid, Runtime: 'cobol85', PackageType: 'Floppy' })).toBeUndefined();
  });

  it("writes AWS's message for a numeric range", () => {
    expect(messageOf(createFunction({ ...valid, MemorySize: 100 }))).toBe(
      "1 validation error detected: Value '100' at 'memorySize' failed to satisfy constraint: " +
        'Member must have value greater than or equal to 128',
    );
  });

  it('counts and joins several errors, required members first as null', () => {
    const message = messageOf(createFunction({ Timeout: 0 }));
    expect(message).toBe(
      '4 validation errors detected: ' +
        "Value null at 'functionName' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'role' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'code' failed to satisfy constraint: Member must not be null; " +
        "Value '0' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  });

  it('checks lengths and anchored patterns', () => {
    const long = 'a'.repeat(141);
    expect(messageOf(createFunction({ ...valid, FunctionName: long }))).toBe(
      `1 validation error detected: Value '${long}' at 'functionName' failed to satisfy constraint: ` +
        'Member must have length less than or equal to 140',
    );
    const bad = messageOf(createFunction({ ...valid, FunctionName: 'bad name!' }));
    expect(bad).toMatch(
      /^1 validation error detected: Value 'bad name!' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: \(arn:/,
    );
  });

  it('names nested members by their lowerCamelCase path', () => {
    const subnets = Array.from({ length: 17 }, (_, i) => `subnet-${i}`);
    expect(messageOf(createFunction({ ...valid, VpcConfig: { SubnetIds: subnets } }))).toMatch(
      /at 'vpcConfig\.subnetIds' failed to satisfy constraint: Member must have length less than or equal to 16$/,
    );
  });

  it('reports list element constraints once, on the list', () => {
    const message = messageOf(createFunction({ ...valid, Layers: ['arn:aws:lambda:us-east-1:000000000000:layer:l:1', 'nope'] }));
    expect(message).toBe(
      "1 validation error detected: Value '[arn:aws:lambda:us-east-1:000000000000:layer:l:1, nope]' at 'layers' " +
        'failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 140, ' +
        'Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ' +
        'arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+]',
    );
  });

  it('reports map key constraints and hides sensitive values', () => {
    const message = messageOf(createFunction({ ...valid, Environment: { Variables: { '1BAD': 'secret-value' } } }));
    expect(message).toMatch(
      /^1 validation error detected: Value at 'environment\.variables' failed to satisfy constraint: Map keys must satisfy constraint: \[Member must satisfy regular expression pattern: /,
    );
    expect(message).not.toContain('secret-value');
  });

  it('reports wrong value types apart, as parse problems', () => {
    const problems = createFunction({ ...valid, MemorySize: '128', Publish: 'yes', Code: { ZipFile: 'not decoded' } });
    // In the model's member order.
    expect(problems?.type).toEqual([
      "expected blob at 'code.zipFile'",
      "expected integer at 'memorySize'",
      "expected boolean at 'publish'",
    ]);
  });

  it('validates querystring-bound members the same way', () => {
    const listFunctions = validatorFor('ListFunctions');
    expect(messageOf(listFunctions({ MaxItems: 0 }))).toBe(
      "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  });

  it('compiles patterns that need the unicode flag (logs TagKey uses \\p{L})', () => {
    const logs = loadModel('logs');
    const shapes = new ShapeResolver(logs);
    const check = new ValidatorCompiler().input(shapes.operationShape(logs.operations.CreateLogGroup.input)!);
    expect(check({ logGroupName: 'g', tags: { 'ключ': 'v' } })).toBeUndefined();
    expect(messageOf(check({ logGroupName: 'g', tags: { 'bad\u0000key': 'v' } }))).toContain('Map keys must satisfy constraint');
  });
});
