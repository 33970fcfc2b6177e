/**
 * Given/when/then specifications for deciders (after Emmett's DeciderSpecification):
 * given the events already in a stream, when a command arrives, then these events (or
 * this error).
 */
import { expect } from 'vitest';
import type { Decider } from '../../events/shared/decider.js';
import type { DomainEvent } from '../../events/shared/event.js';

export function specFor<C, E extends DomainEvent, S>(decider: Decider<C, E, S>) {
  return (given: readonly E[] = []) => ({
    when(command: C) {
      const run = () => {
        let state = decider.initialState();
        for (const event of given) state = decider.evolve(state, event);
        return decider.decide(command, state);
      };
      return {
        /** The events decided, for assertions beyond `then`. */
        events: () => run(),
        then(expected: readonly E[]) {
          expect(run()).toEqual(expected);
        },
        thenNothing() {
          expect(run()).toEqual([]);
        },
        thenThrows(errorClass: abstract new (...args: never[]) => Error, message?: RegExp, field?: string) {
          let thrown: unknown;
          try {
            run();
          } catch (error) {
            thrown = error;
          }
          expect(thrown, 'the command should have been refused').toBeInstanceOf(errorClass);
          if (message) expect((thrown as Error).message).toMatch(message);
          if (field !== undefined) expect((thrown as { field?: string }).field).toBe(field);
        },
      };
    },
  });
}
