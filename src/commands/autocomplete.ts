import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {BaseCommand, UserError} from '../cli/base-command.js'
import {writeCompletionFunctions} from '../cli/shell-completion.js'

/**
 * @oclif/plugin-autocomplete's `autocomplete`, run as it is (setup instructions, the cache, the setup
 * scripts), after which dovediag writes its own bash and zsh completion functions over the plugin's: the
 * plugin's bash function completes no file paths and no flag values, and neither knows rule ids.
 */
export default class Autocomplete extends BaseCommand {
  // Instructions for a person: no JSON document to give.
  static override enableJsonFlag = false

  static override args = {
    shell: Args.string({description: 'Shell type', options: ['zsh', 'bash', 'powershell'], required: false}),
  }

  static override description = `Display autocomplete installation instructions.

Completes commands, flags, the values of flags that have a fixed set (--format, --min-severity, --fail-on, ...), rule ids (explain, --rule), exit code labels (exit, explain) and file paths (logs, migration check, --output, --rules, ...). Run it again (or with --refresh-cache) after upgrading dovediag.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> bash',
    '<%= config.bin %> <%= command.id %> zsh',
    '<%= config.bin %> <%= command.id %> --refresh-cache',
  ]

  static override flags = {
    'refresh-cache': Flags.boolean({char: 'r', description: 'Refresh cache (ignores displaying instructions)'}),
  }

  public async run(): Promise<void> {
    await this.parse(Autocomplete)
    const plugin = this.config.plugins.get('@oclif/plugin-autocomplete')
    const pluginCommand = await plugin?.findCommand('autocomplete', {must: true})
    if (!pluginCommand) throw new UserError('@oclif/plugin-autocomplete is not installed', 70)
    await pluginCommand.run(this.argv, this.config)
    await writeCompletionFunctions(this.config)
  }
}
