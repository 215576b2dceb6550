import { describe, expect, it } from 'vitest';
import {
  ENVIRONMENT_EVENTS,
  ENVIRONMENT_STATES,
  isGone,
  isReusable,
  transition,
  type EnvironmentEvent,
  type EnvironmentState,
} from './environment-state.js';

// The whole table, written out as expectations: every (state, event) pair not listed here must
// be forbidden. Changing the table means changing this list on purpose.
const ALLOWED: Record<string, EnvironmentState> = {
  'Starting/launched': 'Initializing',
  'Starting/launchFailed': 'Failed',
  'Starting/stop': 'Stopped',
  'Initializing/nextParked': 'Idle',
  'Initializing/initError': 'Failed',
  'Initializing/initTimeout': 'Failed',
  'Initializing/processExited': 'Failed',
  'Initializing/stop': 'Stopping',
  'Idle/nextParked': 'Idle',
  'Idle/invoke': 'Busy',
  'Idle/processExited': 'Failed',
  'Idle/stop': 'Stopping',
  'Busy/response': 'Finishing',
  'Busy/error': 'Finishing',
  'Busy/timeout': 'Failed',
  'Busy/processExited': 'Failed',
  'Finishing/nextParked': 'Idle',
  'Finishing/invoke': 'Reserved',
  'Finishing/processExited': 'Failed',
  'Finishing/stop': 'Stopping',
  'Reserved/nextParked': 'Busy',
  'Reserved/timeout': 'Failed',
  'Reserved/processExited': 'Failed',
  'Stopping/processExited': 'Stopped',
};

describe('environment transition table', () => {
  const cases: [EnvironmentState, EnvironmentEvent][] = ENVIRONMENT_STATES.flatMap((s) =>
    ENVIRONMENT_EVENTS.map((e) => [s, e] as [EnvironmentState, EnvironmentEvent]),
  );

  it.each(cases)('%s + %s', (state, event) => {
    expect(transition(state, event)).toBe(ALLOWED[`${state}/${event}`]);
  });

  it('lists only known states and events', () => {
    for (const key of Object.keys(ALLOWED)) {
      const [s, e] = key.split('/') as [EnvironmentState, EnvironmentEvent];
      expect(ENVIRONMENT_STATES).toContain(s);
      expect(ENVIRONMENT_EVENTS).toContain(e);
    }
  });

  it('has terminal states that accept nothing', () => {
    for (const e of ENVIRONMENT_EVENTS) {
      expect(transition('Stopped', e)).toBeUndefined();
      expect(transition('Failed', e)).toBeUndefined();
    }
  });

  it('cannot stop an environment that owes an answer', () => {
    expect(transition('Busy', 'stop')).toBeUndefined();
    expect(transition('Reserved', 'stop')).toBeUndefined();
  });

  it('classifies reusable and gone states', () => {
    expect(ENVIRONMENT_STATES.filter(isReusable)).toEqual(['Idle', 'Finishing']);
    expect(ENVIRONMENT_STATES.filter(isGone)).toEqual(['Stopping', 'Stopped', 'Failed']);
  });
});
