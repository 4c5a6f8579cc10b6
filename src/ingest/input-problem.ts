// Moved to src/input/problem.ts (shared with `migration check`); kept until src/commands/logs.ts imports it there.
export {formatProblem, type InputProblem} from '../input/problem.js'
