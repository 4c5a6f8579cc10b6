import {importShard} from './suite.js'

await importShard(2)
