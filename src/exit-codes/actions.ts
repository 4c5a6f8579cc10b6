/**
 * The migration action vocabulary. Stable: `exit`, `migration check` and their JSON output use these
 * exact words, and scripts branch on them.
 */
export const MIGRATION_ACTIONS = ['done', 'rerun', 'retry', 'remove-user', 'fail', 'suspend-all'] as const
export type MigrationAction = (typeof MIGRATION_ACTIONS)[number]

export const PHASES = ['intermediate', 'final'] as const
/** `intermediate`: a pre-sync while users still work on the old system; `final`: the cut-over sync. */
export type Phase = (typeof PHASES)[number]

export const ACTION_DESCRIPTIONS: Record<MigrationAction, string> = {
  done: 'nothing to do for this user in this phase',
  rerun: 'run the sync again before counting the user as migrated',
  retry: 'run the sync again (within a retry budget), then mark as error or requeue',
  'remove-user': 'drop the user from the migration list (unless the user database itself is at fault)',
  fail: 'mark the migration failed and investigate this user',
  'suspend-all': 'stop every migration until the configuration problem is fixed',
}

/** Order of urgency, most urgent first: reports list and summarize actions in this order. */
export const ACTION_URGENCY: MigrationAction[] = ['suspend-all', 'fail', 'remove-user', 'retry', 'rerun', 'done']
