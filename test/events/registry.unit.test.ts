import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { eventRegistry } from '../../events/registry.js';
import { defineEvent } from '../../events/shared/event.js';
import { createEventRegistry, InvalidEventDataError, UnknownEventTypeError, UnknownSchemaVersionError } from '../../events/shared/registry.js';
import { dialogueCreated } from './fixtures.js';

describe('reading stored events back', () => {
  it('reads every current event through its schema', () => {
    expect(eventRegistry.decode('SeriesCreated', 1, structuredClone(dialogueCreated.data))).toEqual(dialogueCreated);
  });

  it('reports an unknown type, an unknown version and data that fails its schema, naming the event', () => {
    expect(() => eventRegistry.decode('SeriesExploded', 1, {})).toThrow(UnknownEventTypeError);
    expect(() => eventRegistry.decode('SeriesCreated', 7, dialogueCreated.data)).toThrow(UnknownSchemaVersionError);
    const broken = { ...dialogueCreated.data, timeZone: 'Nowhere/Else' };
    expect(() => eventRegistry.decode('SeriesCreated', 1, broken)).toThrow(InvalidEventDataError);
    expect(() => eventRegistry.decode('SeriesCreated', 1, broken)).toThrow(/SeriesCreated v1[\s\S]*at timeZone/);
  });

  it('upcasts older schema versions step by step to the current one', () => {
    // A title that became per-language (v2), then gained a required language list (v3).
    const Renamed = defineEvent('TalkAnnounced', z.object({ title: z.record(z.string(), z.string()), languages: z.array(z.string()) }), [
      { version: 1, schema: z.object({ title: z.string() }), upcast: (d) => ({ title: { en: (d as { title: string }).title } }) },
      {
        version: 2,
        schema: z.object({ title: z.record(z.string(), z.string()) }),
        upcast: (d) => ({ ...(d as object), languages: Object.keys((d as { title: object }).title) }),
      },
    ]);
    const registry = createEventRegistry([Renamed]);
    expect(registry.currentVersion('TalkAnnounced')).toBe(3);
    expect(registry.decode('TalkAnnounced', 1, { title: 'Care work' })).toEqual({
      type: 'TalkAnnounced',
      data: { title: { en: 'Care work' }, languages: ['en'] },
    });
    expect(() => registry.decode('TalkAnnounced', 1, { title: 42 })).toThrow(/TalkAnnounced v1/);
  });

  it('refuses to define an event whose history skips a version', () => {
    expect(() => defineEvent('X', z.object({}), [{ version: 2, schema: z.object({}), upcast: (d) => d }])).toThrow(/history/);
  });
});
