/** The network lab: Linux network namespaces that reproduce real networks, one typed table of scenarios. */
export { type Lab, type LabBuildStep, type StartLabOptions, startLab, withLab } from './lab.js';
export { checkLabPrerequisites } from './prerequisites.js';
export {
  findScenario,
  type HostRole,
  type LabTruth,
  SCENARIOS,
  type ScenarioDefinition,
  type ScenarioName,
} from './scenarios.js';
export { cleanLabs, destroyLabSync, type LabRecord, readLabRecords } from './state.js';
