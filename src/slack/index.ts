// The slack feature's entry: what it offers the rest of the code (model, steps, use cases, ports). No SDK.
// Outside src/slack/, code imports the feature only through this file and ./wiring.ts.
export type { ChatCommandPorts } from './run-command.ts';
