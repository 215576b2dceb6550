/**
 * The input validators of one model's operations as the edge runs them: every constraint of the
 * model, enums included, except the enum shapes a service's handlers check themselves because the
 * service answers them its own way (`ServiceDefinition.handlerEnums`: Lambda's Runtime is an
 * InvalidParameterValueException that lists Nimbus's runtimes). Names are checked against the model
 * here, at start-up, so a misspelt exemption fails loudly instead of silently checking nothing.
 */
import type { ServiceModel } from '../service-definition.js';
import type { Shape } from '../models/shapes.js';
import { ValidatorCompiler, type InputValidator } from './validate.js';

/** Enum shape names by operation, left to that operation's handler. */
export type HandlerEnums = Readonly<Record<string, readonly string[]>>;

/** One compiler per distinct exemption list; operations without exemptions share one. */
export class OperationValidators {
  private readonly compilers = new Map<string, ValidatorCompiler>();
  private readonly exempt: HandlerEnums;

  constructor(model: ServiceModel, handlerEnums: HandlerEnums = {}) {
    for (const [operation, shapes] of Object.entries(handlerEnums)) {
      if (!Object.hasOwn(model.operations, operation)) throw new Error(`handlerEnums: ${operation} is not an operation of the model`);
      for (const name of shapes) {
        const raw = Object.hasOwn(model.shapes, name) ? model.shapes[name] : undefined;
        if (!Array.isArray(raw?.enum)) throw new Error(`handlerEnums: ${operation}: ${name} is not an enum shape of the model`);
      }
    }
    this.exempt = handlerEnums;
  }

  /** The validator of an operation's input; undefined when the operation has no input. */
  forOperation(operation: string, input: Shape | undefined): InputValidator | undefined {
    if (!input) return undefined;
    const except = Object.hasOwn(this.exempt, operation) ? [...this.exempt[operation]!].sort() : [];
    const key = except.join(',');
    let compiler = this.compilers.get(key);
    if (!compiler) {
      compiler = new ValidatorCompiler({ except: new Set(except) });
      this.compilers.set(key, compiler);
    }
    return compiler.input(input);
  }
}
