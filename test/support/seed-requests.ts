/**
 * The seeds' series as an organiser sends them (POST /admin/series bodies): the 10th Virtual
 * Dialogue and the Care Economy lecture series. Domain fixtures and API tests share them.
 */
export const organiser = { name: 'Training Centre', email: 'training@example.org' };

export const dialogueRequest = {
  kind: 'virtual-dialogue' as const,
  title: { en: 'Understanding Change through Training for Gender Equality' },
  description: { en: 'What kinds of change can training for gender equality achieve?' },
  timeZone: 'America/New_York',
  languages: ['en'],
  organiser,
  reminderOffsets: ['P7D', 'P1D', 'PT1H'],
  window: { opens: '2027-04-24', closes: '2027-05-14' },
};

export const careRequest = {
  kind: 'lecture-series' as const,
  title: { en: 'Care Economy Lecture Series', es: 'Ciclo de conferencias sobre la economía del cuidado' },
  timeZone: 'America/New_York',
  languages: ['en', 'es'],
  organiser,
  reminderOffsets: ['P1D', 'PT1H'],
};
