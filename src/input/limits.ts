/**
 * The most dovediag holds of one line of a log or one record of a results export: 1 MiB. Memory stays
 * bounded whatever the input (a 3 GB line, `/dev/zero`, a CSV quote never closed); a longer line is cut
 * (logs: its first 1 MiB is read) or skipped (results exports), reported as a problem with its file and
 * line, and reading goes on after it. Real Dovecot lines are at most a few KiB.
 */
export const MAX_LINE_BYTES = 1024 * 1024

/** MAX_LINE_BYTES as messages say it. */
export const MAX_LINE_SIZE = '1 MiB'
