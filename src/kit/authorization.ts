/**
 * Authorization is one stage, for every call: HTTP through the edge, in-process between
 * services, and function URLs with AWS_IAM. Each operation says what it asks of IAM (its
 * actions and the resources they act on) as data on its service definition; one Authorizer
 * decides. Until the identity issue fills it, the platform's authorizer allows everything.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
import type { Caller } from './operation-context.js';

/** What one call asks of IAM. */
export interface AccessRequest {
  /** IAM actions, `prefix:Action` (`lambda:InvokeFunction`). */
  actions: string[];
  /** ARNs the actions act on; `*` for actions without a resource. */
  resources: string[];
}

/** Everything the authorizer decides on. */
export interface AuthorizationRequest extends AccessRequest {
  caller: Caller;
  /** The account and region addressed. */
  accountId: string;
  region: string;
  via: 'http' | 'in-process' | 'function-url';
}

/** Resolves when the call may proceed; throws an AwsError (AccessDenied…) when it may not. */
export type Authorizer = (request: AuthorizationRequest) => void | Promise<void>;

/** The authorizer until IAM exists: every call is the account root's, and the root may do anything. */
export const allowAll: Authorizer = () => {};
