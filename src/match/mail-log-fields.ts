/**
 * The mail_log plugin logs what happens to mails (`save: box=INBOX, uid=5, msgid=<...>, size=100,
 * from=..., subject=...`, `copy from INBOX: box=Junk, ...`), and its msgid=, from= and subject= quote the
 * mail itself: whatever its sender wrote. A mail whose subject reads like a Dovecot error, or like a
 * delivery, must not be taken for one, so rules read a mail_log line only up to the first of those fields.
 * Event names: src/plugins/mail-log/mail-log-plugin.c (2.2–2.4).
 */
const MAIL_LOG_EVENT =
  /^(?:save|copy|expunge|delete|undelete|flag_change|append|mailbox_create|mailbox_delete|mailbox_rename)(?: from [^:]*)?: (?:uid|box|msgid|size|vsize|flags|from|subject)=/
const SENDER_FIELD = /(?:^|: |, )(?:msgid|from|subject)=/

/** The part of a message that rules read: all of it, but for a mail_log line, the part before the mail's own fields. */
export function ruleReadable(message: string): string {
  if (!MAIL_LOG_EVENT.test(message)) return message
  const at = message.search(SENDER_FIELD)
  return at === -1 ? message : message.slice(0, at)
}
