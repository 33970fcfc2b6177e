/** Every event Convene stores, and the one registry that reads them back. */
import { memberEventDefinitions, type MemberEvent } from './member/events.js';
import { seriesEventDefinitions, type SeriesEvent } from './series/events.js';
import { createEventRegistry } from './shared/registry.js';

export type ConveneEvent = SeriesEvent | MemberEvent;

export const eventRegistry = createEventRegistry([...seriesEventDefinitions, ...memberEventDefinitions]);
