/** The recordings routes alone (route-table.ts `fn: 'recordings'`), with what every route shares. */
import { httpApp, type HttpAppDeps } from '../api/http-app.js';
import { recordingRoutes, type RecordingRouteDeps } from '../api/routes/recordings.js';

export function createRecordingsApi(deps: RecordingRouteDeps & HttpAppDeps) {
  return httpApp(deps, (app) => app.route('/', recordingRoutes(deps)));
}
