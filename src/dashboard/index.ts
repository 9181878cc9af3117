// The dashboard feature's entry: its view models (pure), its port and its
// HTTP server (node:http, no SDK). Outside src/dashboard/, code imports the
// feature only through this file and ./wiring.ts.

export { keysRow, keysView } from './keys.ts';
export type { AlarmRow, DashboardSource, ExecutionStates, FourKeys, KeysRow, StateEntry } from './ports/source.ts';
export { fourKeysNotAvailable } from './ports/source.ts';
export type { Dashboard, DashboardOptions } from './server.ts';
export { DashboardPortBusyError, startDashboard } from './server.ts';
export type {
  AnalysisRow,
  CanarySeries,
  ReleaseDetail,
  ReleaseRow,
  StateRow,
  StateTotal,
  TimelineLane,
} from './view.ts';
export { canarySeries, releaseDetail, stateRows, stateTotals, timeline } from './view.ts';
