/** What the scenario tests share (kept in test-support/workflow-runner: the rehearsal uses the same pieces). */
export {
  CALLER,
  CALLER_SHA,
  callerRepository,
  repositories,
  spacesStandIn,
  step
} from '../../../test-support/workflow-runner/scenario.js';

export {
  DEBIAN_PYTHON,
  PUBLIC_HEALTH_URL,
  releaseStandIns,
  signupflowRepository
} from '../../../test-support/workflow-runner/signupflow.js';
