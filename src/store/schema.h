/* schema.h — ordered schema migrations compiled into the binary. */
#ifndef FC_SCHEMA_H
#define FC_SCHEMA_H

/* The schema version this binary writes (PRAGMA user_version). */
int schema_latest_version(void);

/* SQL that moves a database from version-1 to version; NULL out of range.
 * Static storage. */
const char *schema_migration(int version);

/* The version that starts the class history (migration 10, class_history):
 * db_migrate records when it ran in meta 'class_history_since' (UTC ISO, the
 * program's clock): the classes of an earlier moment are not known. */
#define SCHEMA_CLASS_HISTORY_VERSION 10

#endif
