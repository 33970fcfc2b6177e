import { describe, expect, it } from 'vitest';
import { FairTimesInputError, groupByZone, groupZonesByOffsetBand, groupZonesByRegion, isIanaZone, zoneWeights } from '../../events/fair-times/index.js';

describe('grouping registrants by zone', () => {
  it('counts each zone once per registrant, keeping first-seen order', () => {
    const g = groupByZone(['Asia/Kolkata', 'America/Guayaquil', 'Asia/Kolkata', 'Australia/Sydney', 'Asia/Kolkata']);
    expect([...g.weights]).toEqual([['Asia/Kolkata', 3], ['America/Guayaquil', 1], ['Australia/Sydney', 1]]);
    expect([g.total, g.unknownTotal, g.unknown.size]).toEqual([5, 0, 0]);
  });

  it('reports names it does not know, with their counts, and guesses none', () => {
    const g = groupByZone(['Europe/London', 'Europe/Londn', 'europe/london', 'Mars/Olympus', '', 'GMT+5', '+05:30', 'EST5EDT', 'Europe/Londn', ' Europe/London']);
    expect([...g.weights]).toEqual([['Europe/London', 1]]);
    expect(Object.fromEntries(g.unknown)).toEqual({ 'Europe/Londn': 2, 'europe/london': 1, 'Mars/Olympus': 1, '': 1, 'GMT+5': 1, '+05:30': 1, EST5EDT: 1, ' Europe/London': 1 });
    expect([g.total, g.unknownTotal]).toEqual([1, 9]);
  });

  it('knows every zone of the runtime, the aliases registrants use, and UTC', () => {
    const all = Intl.supportedValuesOf('timeZone');
    expect(all.filter((z) => !isIanaZone(z))).toEqual([]);
    // ICU names Asia/Calcutta and Europe/Kiev; the tz database's current names are kept as spelt.
    for (const zone of ['Asia/Kolkata', 'Asia/Calcutta', 'Europe/Kyiv', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5', 'UTC', 'Etc/UTC', 'US/Eastern']) expect([zone, isIanaZone(zone)]).toEqual([zone, true]);
    for (const zone of ['ASIA/KOLKATA', 'asia/kolkata', 'utc', 'GMT', 'Local']) expect([zone, isIanaZone(zone)]).toEqual([zone, false]);
  });

  it('groups 100,000 registrants in about 400 zones', () => {
    const zones = Intl.supportedValuesOf('timeZone').slice(0, 400);
    const registrants = Array.from({ length: 100_000 }, (_, i) => zones[(i * 7) % zones.length]!);
    const g = groupByZone(registrants);
    expect([g.weights.size, g.total]).toEqual([400, 100_000]);
  });

  it('builds checked weights from a record or entries', () => {
    expect([...zoneWeights({ 'Asia/Kolkata': 2, 'Europe/London': 0 })]).toEqual([['Asia/Kolkata', 2]]);
    expect([...zoneWeights([['Asia/Kolkata', 2], ['Asia/Kolkata', 1]])]).toEqual([['Asia/Kolkata', 3]]);
    expect(() => zoneWeights({ 'Asia/Kolkatta': 2 })).toThrow(FairTimesInputError);
    expect(() => zoneWeights({ 'Asia/Kolkata': 1.5 })).toThrow(/whole number/);
  });
});

describe('zone groups', () => {
  it('by region: the tz area', () => {
    expect(Object.fromEntries(groupZonesByRegion(['America/Guayaquil', 'America/Argentina/Salta', 'Asia/Kolkata', 'Australia/Sydney', 'UTC']))).toEqual({
      'America/Guayaquil': 'America',
      'America/Argentina/Salta': 'America',
      'Asia/Kolkata': 'Asia',
      'Australia/Sydney': 'Australia',
      UTC: 'Etc',
    });
  });

  it('by offset band at an instant: Quito, Delhi and Sydney fall in three bands of four hours', () => {
    const zones = ['America/Guayaquil', 'Asia/Kolkata', 'Australia/Sydney', 'America/New_York', 'Europe/London'];
    // 1 July 2027: -05:00, +05:30, +10:00, -04:00 (EDT), +01:00 (BST).
    expect(Object.fromEntries(groupZonesByOffsetBand(zones, '2027-07-01T12:00:00Z'))).toEqual({
      'America/Guayaquil': 'UTC-08:00..-04:00',
      'Asia/Kolkata': 'UTC+04:00..+08:00',
      'Australia/Sydney': 'UTC+08:00..+12:00',
      'America/New_York': 'UTC-04:00..+00:00',
      'Europe/London': 'UTC+00:00..+04:00',
    });
    // In January New York is on -05:00 and joins Quito's band.
    expect(groupZonesByOffsetBand(zones, '2027-01-15T12:00:00Z').get('America/New_York')).toBe('UTC-08:00..-04:00');
  });
});
