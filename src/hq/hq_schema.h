/* hq_schema.h — head office's PostgreSQL schema as ordered migrations
 * compiled into the program (hq_schema.c).  Never edit a released step:
 * add the next one. */
#ifndef FC_HQ_SCHEMA_H
#define FC_HQ_SCHEMA_H

/* Number of migration steps (the latest schema version). */
int hq_schema_count(void);

/* SQL of step v (1..hq_schema_count()). */
const char *hq_schema_step(int v);

#endif
