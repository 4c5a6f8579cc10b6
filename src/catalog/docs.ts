/**
 * Dovecot documentation pages the rules link to: one home, so a moved page is fixed once.
 * Anchors are the headings' slugs on doc.dovecot.org.
 */
const BASE = 'https://doc.dovecot.org/latest/core'

export const DOCS = {
  errors: (anchor: string) => `${BASE}/admin/errors.html#${anchor}`,
  settings: (name: string) => `${BASE}/summaries/settings.html#${name}`,
  forceResync: `${BASE}/man/doveadm-force-resync.1.html`,
  sync: `${BASE}/man/doveadm-sync.1.html`,
  mailCache: `${BASE}/config/mail_cache.html`,
  quota: `${BASE}/plugins/quota.html`,
  nfs: `${BASE}/config/nfs.html`,
  maildir: `${BASE}/config/mailbox/formats/maildir.html`,
  dbox: `${BASE}/config/mailbox/formats/dbox.html`,
  ssl: `${BASE}/config/ssl.html`,
  lda: `${BASE}/config/delivery/lda.html`,
  auth: `${BASE}/config/auth/overview.html`,
  running: `${BASE}/admin/running.html`,
  debug: `${BASE}/admin/debug.html`,
  logging: `${BASE}/admin/logging.html`,
  services: `${BASE}/config/service.html`,
  configOverview: `${BASE}/config/overview.html`,
  upgrade24: 'https://doc.dovecot.org/latest/installation/upgrade/2.3-to-2.4.html',
  passwdFile: `${BASE}/config/auth/databases/passwd_file.html`,
  fts: `${BASE}/plugins/fts.html`,
  sql: `${BASE}/config/auth/databases/sql.html`,
  ldap: `${BASE}/config/auth/databases/ldap.html`,
} as const
