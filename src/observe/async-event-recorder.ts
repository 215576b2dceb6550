/**
 * What the asynchronous path tells the observers: one cheap, synchronous call per milestone of
 * an event (queued, run, dropped, a delivery that failed). lambda-metrics.ts turns them into
 * AWS/Lambda's AsyncEventsReceived, AsyncEventAge, AsyncEventsDropped, DeadLetterErrors and
 * DestinationDeliveryFailures, per minute, off the hot path.
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html#async-invocation-metrics
 */
import type { Scope } from '../shared/scope.js';

/** A milestone of one asynchronous event. */
export type AsyncEventKind =
  /** Committed to the queue (AsyncEventsReceived). */
  | 'received'
  /** Handed to the function; `ageMs` is how long it waited since it was queued (AsyncEventAge). */
  | 'invoked'
  /** Given up without a successful run: retries or age exhausted (AsyncEventsDropped). */
  | 'dropped'
  /** Its dead-letter queue or topic could not take it (DeadLetterErrors). */
  | 'dead-letter-error'
  /** Its OnSuccess / OnFailure destination could not take its record (DestinationDeliveryFailures). */
  | 'destination-failure';

/** One milestone, with the function and qualifier the event was queued for. */
export interface AsyncEventSample {
  kind: AsyncEventKind;
  /** The function's account and region; absent: the server's own. */
  scope?: Scope;
  functionName: string;
  /** The qualifier the caller named; absent (or `$LATEST`) for the unqualified function. */
  qualifier?: string;
  /** For `invoked`: milliseconds between queueing and this run. */
  ageMs?: number;
}

/** An observer of asynchronous events; `asyncEvent` runs on the dispatch path, so it must be cheap. */
export interface AsyncEventRecorder {
  asyncEvent(sample: AsyncEventSample): void;
}
