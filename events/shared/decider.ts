/**
 * Deciders as plain functions (after Emmett): `decide(command, state)` returns the events a
 * command causes, or throws a DomainError; `evolve(state, event)` folds one event into
 * state; `initialState()` is the state of a stream with no events.
 */
// A namespace import: esbuild then keeps only the parts of zod in use (not its 64 locales).
import * as z from 'zod';
import type { DomainEvent, EventDefinition } from './event.js';
import { DomainError } from './errors.js';

export interface Decider<Command, Event extends DomainEvent, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** Fold a stream's events into state. */
export function fold<Event extends DomainEvent, State>(
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
  events: Iterable<Event>,
): State {
  let state = decider.initialState();
  for (const event of events) state = decider.evolve(state, event);
  return state;
}

/** A field of a command is malformed: names the field, e.g. `title.en` or `reminderOffsets.1`. */
export class InvalidCommandError extends DomainError {
  readonly code = 'invalid-field';
}

/**
 * Build an event of a definition from command data: validates the data against the event's
 * schema and reports the first problem as an InvalidCommandError naming the field.
 */
export function emit<Type extends string, Schema extends z.ZodType>(
  definition: EventDefinition<Type, Schema>,
  data: z.input<Schema>,
): DomainEvent<Type, z.output<Schema>> {
  const result = definition.schema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.path.map(String).join('.');
    throw new InvalidCommandError(`${field || 'command'}: ${issue.message}`, field || undefined);
  }
  return { type: definition.type, data: result.data };
}

/**
 * A decider that takes several commands for one stream and decides them in order, each on
 * the state the previous ones left, so that their events are appended together or not at all.
 */
export function inSequence<Command, Event extends DomainEvent, State>(
  decider: Decider<Command, Event, State>,
): Decider<readonly Command[], Event, State> {
  return {
    initialState: decider.initialState,
    evolve: decider.evolve,
    decide(commands, state) {
      const out: Event[] = [];
      let current = state;
      for (const command of commands) {
        const events = decider.decide(command, current);
        for (const event of events) current = decider.evolve(current, event);
        out.push(...events);
      }
      return out;
    },
  };
}
