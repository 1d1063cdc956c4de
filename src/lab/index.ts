/** The network lab: Linux network namespaces that reproduce real networks, one typed table of scenarios. */
export {
  type Lab,
  type LabBuildStep,
  type Network,
  type StartLabOptions,
  startLab,
  startNetwork,
  withLab,
} from './lab.js';
export { checkLabPrerequisites } from './prerequisites.js';
export {
  findScenario,
  type HostRole,
  type LabTruth,
  SCENARIOS,
  type ScenarioDefinition,
  type ScenarioName,
  scenarioRow,
} from './scenarios.js';
export { cleanLabs, destroyLabSync, type LabRecord, readLabRecords } from './state.js';
export type { Topology } from './topology.js';
