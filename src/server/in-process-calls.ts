/**
 * ServiceCalls (kit/service-calls.ts) over the mounted APIs: an in-process call finds the API by
 * its model's endpointPrefix, validates the input against the model as the edge would, and
 * runs the operation through the same authorizer and handler (kit/operation-runner.ts).
 */
import type { Authorizer } from '../kit/authorization.js';
import type { OperationContext } from '../kit/operation-context.js';
import { runOperation } from '../kit/operation-runner.js';
import type { CallOptions, OperationRef, ServiceCalls } from '../kit/service-calls.js';
import type { ServiceDefinition } from '../kit/service-definition.js';
import { ShapeResolver } from '../kit/models/shapes.js';
import { ValidatorCompiler, validationMessage, type InputValidator } from '../kit/validation/validate.js';
import { AwsError } from '../shared/errors.js';
import { requestId as newRequestId } from '../shared/ids.js';

interface Api {
  definition: ServiceDefinition;
  shapes: ShapeResolver;
  validators: ValidatorCompiler;
  inputs: Map<string, InputValidator | null>;
}

const NEVER = new AbortController().signal;

export class InProcessCalls implements ServiceCalls {
  private readonly apis = new Map<string, Api>();

  constructor(private readonly o: { authorize: Authorizer; baseUrl: () => string }) {}

  /** Makes `definitions` callable; an API is named by its model's endpointPrefix. */
  mount(definitions: readonly ServiceDefinition[]): void {
    for (const definition of definitions) {
      const name = definition.model.metadata.endpointPrefix;
      if (this.apis.has(name)) throw new Error(`two APIs are named ${name}`);
      this.apis.set(name, { definition, shapes: new ShapeResolver(definition.model), validators: new ValidatorCompiler(), inputs: new Map() });
    }
  }

  async call<I, O>(ref: OperationRef<I, O>, input: I, options: CallOptions): Promise<O> {
    const api = this.apis.get(ref.api);
    // A call to what is not there is a bug of the caller, not a request to answer.
    if (!api || !Object.hasOwn(api.definition.model.operations, ref.operation)) throw new Error(`no operation ${ref.api}.${ref.operation} to call`);
    const value = (input ?? {}) as Record<string, unknown>;
    const problems = this.validator(api, ref.operation)?.(value);
    if (problems) {
      const messages = [...problems.type, ...problems.constraint];
      throw new AwsError('ValidationException', validationMessage(messages), 400);
    }
    let responded!: () => void;
    const ctx: OperationContext = {
      requestId: options.requestId ?? newRequestId(),
      region: options.region,
      accountId: options.caller.accountId,
      caller: options.caller,
      via: 'in-process',
      baseUrl: this.o.baseUrl(),
      ...(options.traceHeader !== undefined ? { traceHeader: options.traceHeader } : {}),
      responseHeaders: {},
      signal: options.signal ?? NEVER,
      responded: new Promise<void>((resolve) => (responded = resolve)),
    };
    try {
      return (await runOperation(api.definition, ref.operation, value, ctx, this.o.authorize)) as O;
    } finally {
      responded();
    }
  }

  private validator(api: Api, operation: string): InputValidator | null {
    let v = api.inputs.get(operation);
    if (v === undefined) {
      const shape = api.shapes.operationShape(api.definition.model.operations[operation].input);
      v = shape ? api.validators.input(shape) : null;
      api.inputs.set(operation, v);
    }
    return v;
  }
}
