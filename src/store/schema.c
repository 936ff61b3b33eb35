/* schema.c — the ordered migrations compiled into the binary.
 * Migration N brings a database from user_version N-1 to N.  Never edit a
 * released migration: append a new one.  Money in fen, volume in ml,
 * time as UTC ISO-8601 text ("2026-07-01T08:00:00Z"). */
#include "store/schema.h"

#include <stddef.h>

static const char migration_1[] =
	/* key/value settings and sync state: next_seq, master_version, ... */
	"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;\n"

	"CREATE TABLE staff (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  staff_no TEXT NOT NULL UNIQUE,\n"
	"  name TEXT NOT NULL,\n"
	"  role TEXT NOT NULL CHECK (role IN ('attendant','head','admin')),\n"
	"  pin_hash TEXT,\n"
	"  active INTEGER NOT NULL DEFAULT 1,\n"
	"  failures INTEGER NOT NULL DEFAULT 0,\n"
	"  locked_until TEXT,\n"
	"  created_at TEXT NOT NULL,\n"
	"  updated_at TEXT NOT NULL) STRICT;\n"

	"CREATE TABLE customers (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  code TEXT NOT NULL UNIQUE,\n"
	"  name TEXT NOT NULL,\n"
	"  nature TEXT NOT NULL CHECK (nature IN ('big','individual')),\n"
	"  industry TEXT NOT NULL DEFAULT 'other' CHECK (industry IN\n"
	"    ('passenger','logistics','taxi','official','industrial','agri','other')),\n"
	"  stability TEXT NOT NULL DEFAULT 'potential' CHECK (stability IN\n"
	"    ('current','lost','potential','swing')),\n"
	"  tier TEXT NOT NULL DEFAULT 'ordinary' CHECK (\n"
	"    (nature = 'big' AND tier IN ('diamond','gold','silver','ordinary')) OR\n"
	"    (nature = 'individual' AND tier IN ('platinum','gold','silver','ordinary'))),\n"
	"  tier_source TEXT NOT NULL DEFAULT 'local' CHECK (tier_source IN ('hq','local')),\n"
	"  tier_evaluated_at TEXT,\n"
	"  points_synced INTEGER NOT NULL DEFAULT 0,   -- balance at the last sync\n"
	"  points_synced_at TEXT,\n"
	"  phone TEXT, plate TEXT, contact TEXT, address TEXT,\n"
	"  fuel_grades TEXT, yearly_litres INTEGER, refuel_cycle_days INTEGER,\n"
	"  other_channels TEXT, potential_needs TEXT,\n"
	"  person_in_charge TEXT, handler TEXT, special_needs TEXT,\n"
	"  composite_score INTEGER, composite_class TEXT CHECK (composite_class IN ('A','B','C')),\n"
	"  first_visit_at TEXT, last_visit_at TEXT,\n"
	"  created_at TEXT NOT NULL, updated_at TEXT NOT NULL) STRICT;\n"
	"CREATE INDEX customers_phone ON customers(phone);\n"
	"CREATE INDEX customers_plate ON customers(plate);\n"

	"CREATE TABLE cards (\n"
	"  card_id TEXT PRIMARY KEY,              -- canonical uppercase hex\n"
	"  customer_id INTEGER NOT NULL REFERENCES customers(id),\n"
	"  kind TEXT NOT NULL CHECK (kind IN ('unit','personal')),\n"
	"  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','blocked')),\n"
	"  blocked_reason TEXT,\n"
	"  updated_at TEXT NOT NULL) STRICT, WITHOUT ROWID;\n"
	"CREATE INDEX cards_customer ON cards(customer_id);\n"

	"CREATE TABLE tier_history (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  customer_id INTEGER NOT NULL REFERENCES customers(id),\n"
	"  old_tier TEXT, new_tier TEXT NOT NULL,\n"
	"  source TEXT NOT NULL CHECK (source IN ('hq','local')),\n"
	"  period TEXT, changed_at TEXT NOT NULL) STRICT;\n"

	/* Records made at the station: id is the UUIDv7 also used in the outbox. */
	"CREATE TABLE visits (\n"
	"  id TEXT PRIMARY KEY,\n"
	"  created_at TEXT NOT NULL,\n"
	"  staff_id INTEGER REFERENCES staff(id),\n"
	"  card_id TEXT,                          -- NULL for an anonymous visit\n"
	"  customer_id INTEGER REFERENCES customers(id),\n"
	"  pump INTEGER NOT NULL,\n"
	"  grade TEXT NOT NULL,\n"
	"  volume_ml INTEGER NOT NULL CHECK (volume_ml > 0),\n"
	"  amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),\n"
	"  price_fen_per_litre INTEGER,\n"
	"  discount_fen INTEGER NOT NULL DEFAULT 0,\n"
	"  tier TEXT,                             -- tier at the time of the visit\n"
	"  points_earned INTEGER NOT NULL DEFAULT 0,\n"
	"  won_back INTEGER NOT NULL DEFAULT 0) STRICT, WITHOUT ROWID;\n"
	"CREATE INDEX visits_customer ON visits(customer_id, created_at);\n"
	"CREATE INDEX visits_created ON visits(created_at);\n"

	"CREATE TABLE redemptions (\n"
	"  id TEXT PRIMARY KEY,\n"
	"  created_at TEXT NOT NULL,\n"
	"  staff_id INTEGER REFERENCES staff(id),\n"
	"  card_id TEXT NOT NULL,\n"
	"  customer_id INTEGER NOT NULL REFERENCES customers(id),\n"
	"  points INTEGER NOT NULL CHECK (points > 0),\n"
	"  value_fen INTEGER NOT NULL,\n"
	"  local_date TEXT NOT NULL) STRICT, WITHOUT ROWID;   -- station date for the daily cap\n"
	"CREATE INDEX redemptions_customer_day ON redemptions(customer_id, local_date);\n"

	/* Local points movements since the last sync (balance = synced + these). */
	"CREATE TABLE points_ledger (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  record_id TEXT NOT NULL,               -- visit or redemption id\n"
	"  customer_id INTEGER NOT NULL REFERENCES customers(id),\n"
	"  delta INTEGER NOT NULL,\n"
	"  reason TEXT NOT NULL CHECK (reason IN ('earn','redeem','adjust')),\n"
	"  created_at TEXT NOT NULL,\n"
	"  synced INTEGER NOT NULL DEFAULT 0,     -- 1 once included in points_synced\n"
	"  UNIQUE (record_id, reason)) STRICT;\n"
	"CREATE INDEX points_ledger_customer ON points_ledger(customer_id, synced);\n"

	"CREATE TABLE complaints (\n"
	"  id TEXT PRIMARY KEY,\n"
	"  created_at TEXT NOT NULL,\n"
	"  staff_id INTEGER REFERENCES staff(id),\n"
	"  received_at TEXT NOT NULL,\n"
	"  channel TEXT NOT NULL CHECK (channel IN ('book','in_person','phone','other')),\n"
	"  customer_id INTEGER REFERENCES customers(id),\n"
	"  customer_name TEXT,\n"
	"  category TEXT,\n"
	"  severity TEXT NOT NULL CHECK (severity IN ('general','major','special')),\n"
	"  approved_by TEXT,                      -- supervisor, required for special\n"
	"  content TEXT NOT NULL,\n"
	"  deadline TEXT NOT NULL,                -- local date YYYY-MM-DD (end of day)\n"
	"  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','closed')),\n"
	"  result TEXT, handler TEXT, remarks TEXT, closed_at TEXT,\n"
	"  CHECK (severity <> 'special' OR approved_by IS NOT NULL)) STRICT, WITHOUT ROWID;\n"
	"CREATE INDEX complaints_status ON complaints(status, deadline);\n"

	"CREATE TABLE complaint_updates (\n"
	"  id TEXT PRIMARY KEY,\n"
	"  complaint_id TEXT NOT NULL REFERENCES complaints(id),\n"
	"  created_at TEXT NOT NULL,\n"
	"  staff_id INTEGER REFERENCES staff(id),\n"
	"  kind TEXT NOT NULL CHECK (kind IN ('resolve','escalate','note')),\n"
	"  new_severity TEXT, new_deadline TEXT, approved_by TEXT,\n"
	"  result TEXT, handler TEXT, reason TEXT) STRICT, WITHOUT ROWID;\n"

	"CREATE TABLE callbacks (\n"
	"  id TEXT PRIMARY KEY,\n"
	"  created_at TEXT NOT NULL,\n"
	"  staff_id INTEGER REFERENCES staff(id),\n"
	"  customer_id INTEGER NOT NULL REFERENCES customers(id),\n"
	"  method TEXT NOT NULL CHECK (method IN ('phone','sms','email','card','visit','forum')),\n"
	"  contact TEXT, notes TEXT) STRICT, WITHOUT ROWID;\n"
	"CREATE INDEX callbacks_customer ON callbacks(customer_id, created_at);\n"

	"CREATE TABLE visit_reports (\n"
	"  id TEXT PRIMARY KEY,\n"
	"  created_at TEXT NOT NULL,\n"
	"  staff_id INTEGER REFERENCES staff(id),\n"
	"  customer_id INTEGER NOT NULL REFERENCES customers(id),\n"
	"  report_date TEXT NOT NULL,\n"
	"  quality INTEGER NOT NULL CHECK (quality IN (100,90,85,80,70,60)),\n"
	"  attitude INTEGER NOT NULL CHECK (attitude IN (100,90,85,80,30,0)),\n"
	"  renown INTEGER NOT NULL CHECK (renown IN (100,90,85,80,70,60,50)),\n"
	"  suggestions TEXT, contact_name TEXT, contact_title TEXT, contact_phone TEXT) STRICT, WITHOUT ROWID;\n"

	"CREATE TABLE feedback (\n"
	"  id TEXT PRIMARY KEY,\n"
	"  created_at TEXT NOT NULL,\n"
	"  staff_id INTEGER REFERENCES staff(id),\n"
	"  visit_id TEXT REFERENCES visits(id),\n"
	"  rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),\n"
	"  comment TEXT) STRICT, WITHOUT ROWID;\n"

	/* Every record for head office, in per-station seq order (gap-free). */
	"CREATE TABLE outbox (\n"
	"  seq INTEGER PRIMARY KEY,\n"
	"  id TEXT NOT NULL UNIQUE,\n"
	"  type TEXT NOT NULL,\n"
	"  created_at TEXT NOT NULL,\n"
	"  payload TEXT NOT NULL,                 -- the NDJSON line, built at creation\n"
	"  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','sent','dead')),\n"
	"  attempts INTEGER NOT NULL DEFAULT 0,\n"
	"  next_attempt_at TEXT,\n"
	"  last_error TEXT,\n"
	"  sent_at TEXT) STRICT;\n"
	"CREATE INDEX outbox_state ON outbox(state, seq);\n"

	"CREATE TABLE dead_letters (\n"
	"  seq INTEGER PRIMARY KEY REFERENCES outbox(seq),\n"
	"  code TEXT NOT NULL, message TEXT,\n"
	"  moved_at TEXT NOT NULL) STRICT;\n"

	/* Append-only, hash-chained (issue: audit verify). */
	"CREATE TABLE audit (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  created_at TEXT NOT NULL,\n"
	"  staff_id INTEGER,\n"
	"  action TEXT NOT NULL,\n"
	"  detail TEXT NOT NULL DEFAULT '',\n"
	"  prev_hash TEXT NOT NULL,\n"
	"  hash TEXT NOT NULL) STRICT;\n"
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit\n"
	"  BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;\n"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit\n"
	"  BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;\n"

	"CREATE TABLE holidays (\n"
	"  date TEXT PRIMARY KEY,                 -- local date YYYY-MM-DD\n"
	"  kind TEXT NOT NULL CHECK (kind IN ('holiday','workday')),\n"
	"  name TEXT) STRICT, WITHOUT ROWID;\n"

	/* Approved discounts from head office, per grade, tier and nature. */
	"CREATE TABLE prices (\n"
	"  grade TEXT NOT NULL, tier TEXT NOT NULL,\n"
	"  nature TEXT NOT NULL CHECK (nature IN ('big','individual')),\n"
	"  discount_fen_per_litre INTEGER NOT NULL CHECK (discount_fen_per_litre >= 0),\n"
	"  updated_at TEXT NOT NULL,\n"
	"  PRIMARY KEY (grade, tier, nature)) STRICT, WITHOUT ROWID;\n";

/* Search over the archive (issue 7): an FTS5 trigram index over name,
 * phone, plate and code kept in step with customers by triggers, and an
 * index on name for 1-2 character prefix queries (trigram needs >= 3). */
static const char migration_2[] =
	"CREATE VIRTUAL TABLE customer_search USING fts5(name, phone, plate, code,\n"
	"  content='customers', content_rowid='id', tokenize='trigram');\n"
	"CREATE TRIGGER customers_search_insert AFTER INSERT ON customers BEGIN\n"
	"  INSERT INTO customer_search(rowid, name, phone, plate, code)\n"
	"    VALUES (new.id, new.name, new.phone, new.plate, new.code);\n"
	"END;\n"
	"CREATE TRIGGER customers_search_delete AFTER DELETE ON customers BEGIN\n"
	"  INSERT INTO customer_search(customer_search, rowid, name, phone, plate, code)\n"
	"    VALUES ('delete', old.id, old.name, old.phone, old.plate, old.code);\n"
	"END;\n"
	"CREATE TRIGGER customers_search_update AFTER UPDATE OF name, phone, plate, code\n"
	"  ON customers WHEN old.name IS NOT new.name OR old.phone IS NOT new.phone\n"
	"    OR old.plate IS NOT new.plate OR old.code IS NOT new.code BEGIN\n"
	"  INSERT INTO customer_search(customer_search, rowid, name, phone, plate, code)\n"
	"    VALUES ('delete', old.id, old.name, old.phone, old.plate, old.code);\n"
	"  INSERT INTO customer_search(rowid, name, phone, plate, code)\n"
	"    VALUES (new.id, new.name, new.phone, new.plate, new.code);\n"
	"END;\n"
	"INSERT INTO customer_search(customer_search) VALUES ('rebuild');\n"
	"CREATE INDEX customers_name ON customers(name);\n";

/* The chain (issue 14): what only head office knows, kept beside the
 * station's own facts.  A balance from head office includes this station's
 * movements up to points_seq (its contiguous seq there); a ledger row with
 * a seq above it is added on top, so nothing is counted twice.  seq of a
 * ledger row is its record's seq, filled by triggers whichever of the two
 * rows is written first. */
static const char migration_3[] =
	"ALTER TABLE customers ADD COLUMN chain_last_purchase_at TEXT; -- any station, from head office\n"
	"ALTER TABLE customers ADD COLUMN home_station TEXT;           -- NULL: unknown (treated as here)\n"
	"ALTER TABLE customers ADD COLUMN owner_staff INTEGER;         -- staff number at the home station\n"
	"ALTER TABLE customers ADD COLUMN owner_name TEXT;\n"
	"ALTER TABLE customers ADD COLUMN points_seq INTEGER NOT NULL DEFAULT 0;\n"
	"ALTER TABLE points_ledger ADD COLUMN seq INTEGER;\n"
	"UPDATE points_ledger SET seq = (SELECT o.seq FROM outbox o WHERE o.id = points_ledger.record_id);\n"
	"CREATE TRIGGER points_ledger_seq AFTER INSERT ON points_ledger WHEN new.seq IS NULL BEGIN\n"
	"  UPDATE points_ledger SET seq = (SELECT seq FROM outbox WHERE id = new.record_id)\n"
	"    WHERE id = new.id;\n"
	"END;\n"
	"CREATE TRIGGER outbox_ledger_seq AFTER INSERT ON outbox BEGIN\n"
	"  UPDATE points_ledger SET seq = new.seq WHERE record_id = new.id AND seq IS NULL;\n"
	"END;\n"
	/* litres per half-year at all stations, from head office */
	"CREATE TABLE chain_litres (\n"
	"  customer_id INTEGER NOT NULL REFERENCES customers(id),\n"
	"  period TEXT NOT NULL,                   -- 2026H2\n"
	"  litres INTEGER NOT NULL CHECK (litres >= 0),\n"
	"  updated_at TEXT NOT NULL,\n"
	"  PRIMARY KEY (customer_id, period)) STRICT, WITHOUT ROWID;\n";

/* Callbacks owed by the owner's station (issue 14): every swipe counts the
 * customer's visit reports like its callbacks (care/callback.h), by customer
 * and report date, so they need the index the callbacks have. */
static const char migration_4[] =
	"CREATE INDEX visit_reports_customer ON visit_reports(customer_id, report_date);\n";

/* The audit anchor (issue 15): every record with an audit row carries its
 * id and hash in its line ("audit").  When head office acknowledges one
 * (whichever statement marks it sent), meta 'audit_acked' = {"id","hash"}
 * of the highest row so far, so `audit verify` finds rows deleted from the
 * end up to it.  Before this version only records of type audit carried a
 * row (in their data): the last of those already sent starts it. */
static const char migration_5[] =
	"CREATE TRIGGER outbox_audit_acked AFTER UPDATE OF state ON outbox\n"
	"  WHEN new.state = 'sent' AND old.state <> 'sent'\n"
	"   AND json_extract(new.payload, '$.audit.id') > coalesce((SELECT\n"
	"       json_extract(value, '$.id') FROM meta WHERE key = 'audit_acked'), 0) BEGIN\n"
	"  INSERT INTO meta(key, value) VALUES('audit_acked',\n"
	"    json_object('id', json_extract(new.payload, '$.audit.id'),\n"
	"                'hash', json_extract(new.payload, '$.audit.hash')))\n"
	"    ON CONFLICT(key) DO UPDATE SET value = excluded.value;\n"
	"END;\n"
	"INSERT INTO meta(key, value) SELECT 'audit_acked',\n"
	"  json_object('id', json_extract(payload, '$.data.audit_id'),\n"
	"              'hash', json_extract(payload, '$.data.hash'))\n"
	"  FROM outbox WHERE state = 'sent' AND type = 'audit'\n"
	"  ORDER BY json_extract(payload, '$.data.audit_id') DESC LIMIT 1;\n";


/* Phones found typed either way (issue 18): the typed form stays in phone
 * for display; phone_digits is its digits only (separators '-', ' ', '+',
 * '(', ')', '.' dropped, what archive_check_phone lets through and more),
 * computed by SQLite for every writer alike and indexed, so "13800138000"
 * finds "138-0013-8000" and the reverse. */
static const char migration_6[] =
	"ALTER TABLE customers ADD COLUMN phone_digits TEXT GENERATED ALWAYS AS\n"
	"  (nullif(replace(replace(replace(replace(replace(replace(phone, '-', ''), ' ', ''),\n"
	"   '+', ''), '(', ''), ')', ''), '.', ''), '')) VIRTUAL;\n"
	"CREATE INDEX customers_phone_digits ON customers(phone_digits);\n";

/* The monthly study's answers (issue 16), shared by the waves that record
 * them and the report that sums them: a callback or a visit report may carry
 * why a customer left or wavers (loss_reason: price, service, distance,
 * competitor_offer, vehicle_sold, business_closed, other + loss_reason_text),
 * where it buys now, what the competitor offers, the measures taken and who
 * is responsible; the latest answers are kept on the customer (study_at:
 * when, study_source: the callback or visit report id).  A competitor
 * customer (buys elsewhere) is flagged on the archive with the competitor's
 * name. */
#define STUDY_COLUMNS(table) \
	"ALTER TABLE " table " ADD COLUMN loss_reason TEXT CHECK (loss_reason IN\n" \
	"  ('price','service','distance','competitor_offer','vehicle_sold','business_closed','other'));\n" \
	"ALTER TABLE " table " ADD COLUMN loss_reason_text TEXT;\n" \
	"ALTER TABLE " table " ADD COLUMN current_channel TEXT;\n" \
	"ALTER TABLE " table " ADD COLUMN competitor_offer TEXT;\n" \
	"ALTER TABLE " table " ADD COLUMN measures TEXT;\n" \
	"ALTER TABLE " table " ADD COLUMN responsible TEXT;\n"
static const char migration_7[] =
	STUDY_COLUMNS("callbacks")
	STUDY_COLUMNS("visit_reports")
	STUDY_COLUMNS("customers")
	"ALTER TABLE customers ADD COLUMN study_at TEXT;\n"
	"ALTER TABLE customers ADD COLUMN study_source TEXT;\n"
	"ALTER TABLE customers ADD COLUMN competitor INTEGER NOT NULL DEFAULT 0 CHECK (competitor IN (0,1));\n"
	"ALTER TABLE customers ADD COLUMN competitor_name TEXT;\n"
	"CREATE INDEX customers_competitor ON customers(competitor) WHERE competitor = 1;\n";
#undef STUDY_COLUMNS

/* The complaint book's path (issue 16, the complaint book): an entry is a
 * complaint or a suggestion (no severity, no deadline); a general
 * complaint's handling opinion (result, handler, handled_at) is approved
 * (approver, approved_at) and the customer told (told_by, told_how,
 * told_at) before it is closed; a special case is approved at each level of
 * [complaints] approval_levels: level 1 by approved_by when it became
 * special, the next ones by complaint_updates of kind 'level' (level key,
 * level_no, approved_by, happened_at).  CHECKs cannot be altered in SQLite:
 * both tables are rebuilt, the updates first set aside so that dropping
 * the complaints finds no row referring to them. */
static const char migration_8[] =
	"CREATE TEMP TABLE complaint_updates_keep AS SELECT * FROM complaint_updates;\n"
	"DROP TABLE complaint_updates;\n"
	"CREATE TABLE complaints_path (\n"
	"  id TEXT PRIMARY KEY,\n"
	"  created_at TEXT NOT NULL,\n"
	"  staff_id INTEGER REFERENCES staff(id),\n"
	"  received_at TEXT NOT NULL,\n"
	"  channel TEXT NOT NULL CHECK (channel IN ('book','in_person','phone','other')),\n"
	"  customer_id INTEGER REFERENCES customers(id),\n"
	"  customer_name TEXT,\n"
	"  category TEXT,\n"
	"  kind TEXT NOT NULL DEFAULT 'complaint' CHECK (kind IN ('complaint','suggestion')),\n"
	"  severity TEXT CHECK (severity IN ('general','major','special')),\n"
	"  approved_by TEXT,                      -- special: level 1's supervisor\n"
	"  content TEXT NOT NULL,\n"
	"  deadline TEXT,                         -- local date YYYY-MM-DD (end of day); none for a suggestion\n"
	"  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','closed')),\n"
	"  result TEXT, handler TEXT, remarks TEXT, closed_at TEXT,\n"
	"  handled_at TEXT,                       -- the handling opinion (result, handler) recorded\n"
	"  approver TEXT, approved_at TEXT,       -- general: the head who approved the opinion\n"
	"  told_by TEXT, told_how TEXT, told_at TEXT, -- the customer told the result\n"
	"  CHECK ((kind = 'suggestion') = (severity IS NULL)),\n"
	"  CHECK ((kind = 'suggestion') = (deadline IS NULL)),\n"
	"  CHECK (severity <> 'special' OR approved_by IS NOT NULL)) STRICT, WITHOUT ROWID;\n"
	"INSERT INTO complaints_path(id, created_at, staff_id, received_at, channel, customer_id,\n"
	"  customer_name, category, severity, approved_by, content, deadline, status, result,\n"
	"  handler, remarks, closed_at, handled_at)\n"
	"  SELECT id, created_at, staff_id, received_at, channel, customer_id, customer_name,\n"
	"  category, severity, approved_by, content, deadline, status, result, handler, remarks,\n"
	"  closed_at, CASE WHEN result IS NOT NULL THEN closed_at END FROM complaints;\n"
	"DROP TABLE complaints;\n"
	"ALTER TABLE complaints_path RENAME TO complaints;\n"
	"CREATE INDEX complaints_status ON complaints(status, deadline);\n"
	"CREATE TABLE complaint_updates (\n"
	"  id TEXT PRIMARY KEY,\n"
	"  complaint_id TEXT NOT NULL REFERENCES complaints(id),\n"
	"  created_at TEXT NOT NULL,\n"
	"  staff_id INTEGER REFERENCES staff(id),\n"
	"  kind TEXT NOT NULL CHECK (kind IN ('resolve','escalate','note','approve','level','tell',\n"
	"    'close')),\n"
	"  new_severity TEXT, new_deadline TEXT, approved_by TEXT,\n"
	"  result TEXT, handler TEXT, reason TEXT,\n"
	"  level TEXT, level_no INTEGER,          -- level: which of approval_levels, from 1\n"
	"  told_by TEXT, told_how TEXT,           -- tell: who told the customer, how\n"
	"  happened_at TEXT) STRICT, WITHOUT ROWID; -- level, tell: when (UTC ISO-8601)\n"
	"INSERT INTO complaint_updates(id, complaint_id, created_at, staff_id, kind, new_severity,\n"
	"  new_deadline, approved_by, result, handler, reason)\n"
	"  SELECT id, complaint_id, created_at, staff_id, kind, new_severity, new_deadline,\n"
	"  approved_by, result, handler, reason FROM temp.complaint_updates_keep;\n"
	"DROP TABLE temp.complaint_updates_keep;\n"
	"CREATE INDEX complaint_updates_complaint ON complaint_updates(complaint_id, kind);\n"
	"CREATE UNIQUE INDEX complaint_levels_once ON complaint_updates(complaint_id, level_no)\n"
	"  WHERE kind = 'level';\n";

/* The visit-report form (issue 16): the principal 主要负责人 keeps the columns
 * contact_name, contact_title and contact_phone of migration 1 (a report
 * made before names its one contact there, read as the principal) and
 * gains a mobile; the business contact 业务主办 has its four; the unit's
 * legal person and address; what was learned (market, service_feedback,
 * needs) beside the free suggestions; whether the customer signed or
 * sealed the paper form (NULL: not asked, reports made before).  The fuel
 * ledger (forecourt statement) reads visits by customer and time through
 * visits_customer of migration 1: no index of its own. */
static const char migration_9[] =
	"ALTER TABLE visit_reports ADD COLUMN principal_mobile TEXT;\n"
	"ALTER TABLE visit_reports ADD COLUMN business_name TEXT;\n"
	"ALTER TABLE visit_reports ADD COLUMN business_title TEXT;\n"
	"ALTER TABLE visit_reports ADD COLUMN business_phone TEXT;\n"
	"ALTER TABLE visit_reports ADD COLUMN business_mobile TEXT;\n"
	"ALTER TABLE visit_reports ADD COLUMN legal_person TEXT;\n"
	"ALTER TABLE visit_reports ADD COLUMN unit_address TEXT;\n"
	"ALTER TABLE visit_reports ADD COLUMN market TEXT;\n"
	"ALTER TABLE visit_reports ADD COLUMN service_feedback TEXT;\n"
	"ALTER TABLE visit_reports ADD COLUMN needs TEXT;\n"
	"ALTER TABLE visit_reports ADD COLUMN signoff TEXT\n"
	"  CHECK (signoff IN ('none','signed','sealed','both'));\n";

/* The classes as they were (issue 16): the monthly analysis of a past month
 * shows each customer's nature, tier, stability and composite class at that
 * month's end.  class_history holds a row of all four whenever one changes,
 * written by triggers for every writer alike (classify, tiers, import,
 * master data, the archive, registration), dated by the writer's updated_at
 * when it set one (so a test's or a backdated run's clock counts), else now;
 * a new customer's first row is dated created_at (only when it has none: a
 * bulk job copying rows into its shadow table, store/bulk.h, or a row
 * copied again writes no history).  Backfill: each customer's
 * first row at created_at with the tier before its first tier_history change
 * (the other classes as they are now: nothing older is known), then a row at
 * each tier_history change, then today's classes now.  The stabilities and
 * composite classes of those first rows are today's, not the past's: the
 * history is only known from the migration on, so db_migrate records its
 * time in meta 'class_history_since' (schema.h) and the monthly analysis of
 * a month that ended before it shows today's classes, saying so.  Indexes for the
 * month's feedback, visit reports and complaints the analysis sums, and for
 * the customers that answered the study after a month's end. */
#define CLASS_ROW(when) \
	"INSERT INTO class_history(customer_id, changed_at, nature, tier, stability, composite_class)\n" \
	"  VALUES (new.id, " when ", new.nature, new.tier, new.stability, new.composite_class);\n"
static const char migration_10[] =
	"CREATE TABLE class_history (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  customer_id INTEGER NOT NULL,          -- customers.id (no reference: history outlives)\n"
	"  changed_at TEXT NOT NULL,              -- UTC ISO-8601: the classes hold from here\n"
	"  nature TEXT NOT NULL, tier TEXT NOT NULL, stability TEXT NOT NULL,\n"
	"  composite_class TEXT) STRICT;\n"
	"CREATE INDEX class_history_customer ON class_history(customer_id, changed_at);\n"
	"CREATE TRIGGER customers_class_insert AFTER INSERT ON customers\n"
	"  WHEN NOT EXISTS (SELECT 1 FROM class_history WHERE customer_id = new.id) BEGIN\n"
	CLASS_ROW("new.created_at")
	"END;\n"
	"CREATE TRIGGER customers_class_update AFTER UPDATE OF nature, tier, stability, composite_class\n"
	"  ON customers WHEN old.nature IS NOT new.nature OR old.tier IS NOT new.tier\n"
	"    OR old.stability IS NOT new.stability\n"
	"    OR old.composite_class IS NOT new.composite_class BEGIN\n"
	CLASS_ROW("iif(new.updated_at IS NOT old.updated_at, new.updated_at,\n"
		  "    strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))")
	"END;\n"
	"INSERT INTO class_history(customer_id, changed_at, nature, tier, stability, composite_class)\n"
	"  SELECT c.id, c.created_at, c.nature,\n"
	"    coalesce((SELECT h.old_tier FROM tier_history h WHERE h.customer_id = c.id\n"
	"      ORDER BY h.changed_at, h.id LIMIT 1), c.tier), c.stability, c.composite_class\n"
	"  FROM customers c;\n"
	"INSERT INTO class_history(customer_id, changed_at, nature, tier, stability, composite_class)\n"
	"  SELECT c.id, h.changed_at, c.nature, h.new_tier, c.stability, c.composite_class\n"
	"  FROM tier_history h JOIN customers c ON c.id = h.customer_id;\n"
	"INSERT INTO class_history(customer_id, changed_at, nature, tier, stability, composite_class)\n"
	"  SELECT id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), nature, tier, stability, composite_class\n"
	"  FROM customers WHERE EXISTS (SELECT 1 FROM tier_history h WHERE h.customer_id = customers.id);\n"
	"CREATE INDEX feedback_created ON feedback(created_at);\n"
	"CREATE INDEX visit_reports_date ON visit_reports(report_date);\n"
	"CREATE INDEX complaints_received ON complaints(received_at);\n"
	"CREATE INDEX customers_study_at ON customers(study_at) WHERE study_at IS NOT NULL;\n";
#undef CLASS_ROW

/* The customers' part of issue 16.  tier_provisional: the tier comes
 * from the declared yearly demand of a customer with no half-year litres
 * yet (tiers_grade); ratings a head enters on the archive for the
 * composite evaluation (0..100 each, NULL: the stand-in from the cards and
 * the archive), with who (staff id) and when; special dates (birthday,
 * company anniversary: "MM-DD" or "YYYY-MM-DD"); the quarter of the last
 * composite evaluation ("2026Q4"); tier_regrade: the old "nature tier" of
 * a customer whose nature head office's master data changed without a
 * tier, until tiers_regrade_pending evaluates it for the new nature;
 * which holidays are major (callbacks are due before a major one; old
 * calendars: every holiday is major). */
static const char migration_11[] =
	"ALTER TABLE customers ADD COLUMN tier_provisional INTEGER NOT NULL DEFAULT 0\n"
	"  CHECK (tier_provisional IN (0,1));\n"
	"ALTER TABLE customers ADD COLUMN rating_scale INTEGER CHECK (rating_scale BETWEEN 0 AND 100);\n"
	"ALTER TABLE customers ADD COLUMN rating_credit INTEGER CHECK (rating_credit BETWEEN 0 AND 100);\n"
	"ALTER TABLE customers ADD COLUMN rating_influence INTEGER\n"
	"  CHECK (rating_influence BETWEEN 0 AND 100);\n"
	"ALTER TABLE customers ADD COLUMN rating_by INTEGER;      -- staff id of the head\n"
	"ALTER TABLE customers ADD COLUMN rating_at TEXT;\n"
	"ALTER TABLE customers ADD COLUMN birthday TEXT;\n"
	"ALTER TABLE customers ADD COLUMN anniversary TEXT;\n"
	"ALTER TABLE customers ADD COLUMN composite_quarter TEXT;\n"
	"ALTER TABLE customers ADD COLUMN tier_regrade TEXT;      -- 'individual gold': nature changed\n"
	"CREATE INDEX customers_tier_regrade ON customers(id) WHERE tier_regrade IS NOT NULL;\n"
	"ALTER TABLE holidays ADD COLUMN major INTEGER NOT NULL DEFAULT 1 CHECK (major IN (0,1));\n";

/* Delivery state apart from the payload (issue 17): a record's NDJSON line
 * (outbox_record) is written once, at creation; what the uploader learns
 * (sent, dead, attempts, the last error) goes to outbox_delivery, a narrow
 * row per record, so an acknowledgement rewrites a few small pages instead
 * of every payload it acknowledges.  The view outbox joins the two as the
 * table was (reads, and writes through INSTEAD OF triggers: sqlite3,
 * tests); the program writes the two tables.  The audit anchor (migration
 * 5) keeps its meaning, from the record's audit id and hash stored beside
 * its line instead of parsed out of it on every acknowledgement. */
static const char migration_12[] =
	"CREATE TABLE outbox_record (\n"
	"  seq INTEGER PRIMARY KEY,\n"
	"  id TEXT NOT NULL UNIQUE,\n"
	"  type TEXT NOT NULL,\n"
	"  created_at TEXT NOT NULL,\n"
	"  payload TEXT NOT NULL,                 -- the NDJSON line, built at creation\n"
	"  audit_hash TEXT) STRICT;               -- the line's audit.hash (NULL: none)\n"
	"INSERT INTO outbox_record(seq, id, type, created_at, payload, audit_hash)\n"
	"  SELECT seq, id, type, created_at, payload,\n"
	"    iif(json_valid(payload), json_extract(payload, '$.audit.hash'), NULL) FROM outbox;\n"
	"CREATE TABLE outbox_delivery (\n"
	"  seq INTEGER PRIMARY KEY REFERENCES outbox_record(seq) ON DELETE CASCADE,\n"
	"  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','sent','dead')),\n"
	"  attempts INTEGER NOT NULL DEFAULT 0,\n"
	"  next_attempt_at TEXT,\n"
	"  last_error TEXT,\n"
	"  sent_at TEXT,\n"
	"  audit_id INTEGER) STRICT;              -- the line's audit.id (NULL: none)\n"
	"INSERT INTO outbox_delivery(seq, state, attempts, next_attempt_at, last_error, sent_at,\n"
	"    audit_id)\n"
	"  SELECT seq, state, attempts, next_attempt_at, last_error, sent_at,\n"
	"    iif(json_valid(payload), json_extract(payload, '$.audit.id'), NULL) FROM outbox;\n"
	/* sent rows are in no index: an acknowledgement only leaves this one */
	"CREATE INDEX outbox_delivery_pending ON outbox_delivery(seq) WHERE state = 'pending';\n"
	"CREATE INDEX outbox_delivery_dead ON outbox_delivery(seq) WHERE state = 'dead';\n"
	"CREATE TABLE dead_letters_moved (\n"
	"  seq INTEGER PRIMARY KEY REFERENCES outbox_record(seq),\n"
	"  code TEXT NOT NULL, message TEXT,\n"
	"  moved_at TEXT NOT NULL) STRICT;\n"
	"INSERT INTO dead_letters_moved SELECT seq, code, message, moved_at FROM dead_letters;\n"
	"DROP TABLE dead_letters;\n"
	"ALTER TABLE dead_letters_moved RENAME TO dead_letters;\n"
	"DROP TRIGGER points_ledger_seq;\n"
	"DROP TABLE outbox;\n"
	"CREATE TRIGGER points_ledger_seq AFTER INSERT ON points_ledger WHEN new.seq IS NULL BEGIN\n"
	"  UPDATE points_ledger SET seq = (SELECT seq FROM outbox_record WHERE id = new.record_id)\n"
	"    WHERE id = new.id;\n"
	"END;\n"
	"CREATE TRIGGER outbox_ledger_seq AFTER INSERT ON outbox_record BEGIN\n"
	"  UPDATE points_ledger SET seq = new.seq WHERE record_id = new.id AND seq IS NULL;\n"
	"END;\n"
	"CREATE TRIGGER outbox_audit_acked AFTER UPDATE OF state ON outbox_delivery\n"
	"  WHEN new.state = 'sent' AND old.state <> 'sent'\n"
	"   AND new.audit_id IS NOT NULL AND new.audit_id > coalesce((SELECT\n"
	"       json_extract(value, '$.id') FROM meta WHERE key = 'audit_acked'), 0) BEGIN\n"
	"  INSERT INTO meta(key, value) SELECT 'audit_acked',\n"
	"    json_object('id', new.audit_id, 'hash', audit_hash) FROM outbox_record WHERE seq = new.seq\n"
	"    ON CONFLICT(key) DO UPDATE SET value = excluded.value;\n"
	"END;\n"
	"CREATE VIEW outbox AS SELECT d.seq AS seq, r.id AS id, r.type AS type,\n"
	"  r.created_at AS created_at, r.payload AS payload, d.state AS state,\n"
	"  d.attempts AS attempts, d.next_attempt_at AS next_attempt_at,\n"
	"  d.last_error AS last_error, d.sent_at AS sent_at\n"
	"  FROM outbox_delivery d JOIN outbox_record r ON r.seq = d.seq;\n"
	"CREATE TRIGGER outbox_insert INSTEAD OF INSERT ON outbox BEGIN\n"
	"  INSERT INTO outbox_record(seq, id, type, created_at, payload, audit_hash)\n"
	"    VALUES(new.seq, new.id, new.type, new.created_at, new.payload,\n"
	"      iif(json_valid(new.payload), json_extract(new.payload, '$.audit.hash'), NULL));\n"
	"  INSERT INTO outbox_delivery(seq, state, attempts, next_attempt_at, last_error, sent_at,\n"
	"      audit_id)\n"
	"    VALUES(coalesce(new.seq, last_insert_rowid()), coalesce(new.state, 'pending'),\n"
	"      coalesce(new.attempts, 0), new.next_attempt_at, new.last_error, new.sent_at,\n"
	"      iif(json_valid(new.payload), json_extract(new.payload, '$.audit.id'), NULL));\n"
	"END;\n"
	"CREATE TRIGGER outbox_update INSTEAD OF UPDATE ON outbox BEGIN\n"
	"  UPDATE outbox_record SET payload = new.payload,\n"
	"    audit_hash = iif(json_valid(new.payload), json_extract(new.payload, '$.audit.hash'), NULL)\n"
	"    WHERE seq = old.seq AND new.payload IS NOT old.payload;\n"
	"  UPDATE outbox_delivery SET\n"
	"    audit_id = iif(json_valid(new.payload), json_extract(new.payload, '$.audit.id'), NULL)\n"
	"    WHERE seq = old.seq AND new.payload IS NOT old.payload;\n"
	"  UPDATE outbox_delivery SET state = new.state, attempts = new.attempts,\n"
	"    next_attempt_at = new.next_attempt_at, last_error = new.last_error,\n"
	"    sent_at = new.sent_at WHERE seq = old.seq;\n"
	"END;\n"
	"CREATE TRIGGER outbox_delete INSTEAD OF DELETE ON outbox BEGIN\n"
	"  DELETE FROM outbox_record WHERE seq = old.seq;\n"
	"END;\n";

/* Search of one or two characters (issue 17): every 1- and 2-character
 * piece of a name or plate that holds a character beyond ASCII (Chinese
 * names, a plate's province), as words of a text per customer in
 * customer_grams, an FTS5 index without content (unicode61: each piece is
 * a word), kept by triggers, so "王" or "王伟" is found through an index
 * instead of a scan (the trigram index needs 3).  ASCII pieces are left
 * out: those of phones, plates and codes are digits and letters that most
 * customers share, which a short scan finds; a name in Latin letters is
 * found by its prefix or the scan.  search_positions is 1..256, the
 * character positions a piece starts at (no recursive query is allowed in
 * a trigger; a name or plate is at most 255 bytes).  And the trigram index
 * gets phone_digits as a column of its own, so a phone's digits typed
 * without its separators are found in it rather than by a scan. */
#define GRAMS_OF(row) SCHEMA_CUSTOMER_GRAMS(row ".name", row ".plate")
static const char migration_13[] =
	"DROP TRIGGER customers_search_insert;\n"
	"DROP TRIGGER customers_search_delete;\n"
	"DROP TRIGGER customers_search_update;\n"
	"DROP TABLE customer_search;\n"
	"CREATE VIRTUAL TABLE customer_search USING fts5(name, phone, plate, code, phone_digits,\n"
	"  content='customers', content_rowid='id', tokenize='trigram');\n"
	"CREATE TRIGGER customers_search_insert AFTER INSERT ON customers BEGIN\n"
	"  INSERT INTO customer_search(rowid, name, phone, plate, code, phone_digits)\n"
	"    VALUES (new.id, new.name, new.phone, new.plate, new.code, new.phone_digits);\n"
	"END;\n"
	"CREATE TRIGGER customers_search_delete AFTER DELETE ON customers BEGIN\n"
	"  INSERT INTO customer_search(customer_search, rowid, name, phone, plate, code, phone_digits)\n"
	"    VALUES ('delete', old.id, old.name, old.phone, old.plate, old.code, old.phone_digits);\n"
	"END;\n"
	"CREATE TRIGGER customers_search_update AFTER UPDATE OF name, phone, plate, code\n"
	"  ON customers WHEN old.name IS NOT new.name OR old.phone IS NOT new.phone\n"
	"    OR old.plate IS NOT new.plate OR old.code IS NOT new.code BEGIN\n"
	"  INSERT INTO customer_search(customer_search, rowid, name, phone, plate, code, phone_digits)\n"
	"    VALUES ('delete', old.id, old.name, old.phone, old.plate, old.code, old.phone_digits);\n"
	"  INSERT INTO customer_search(rowid, name, phone, plate, code, phone_digits)\n"
	"    VALUES (new.id, new.name, new.phone, new.plate, new.code, new.phone_digits);\n"
	"END;\n"
	"INSERT INTO customer_search(customer_search) VALUES ('rebuild');\n"
	"CREATE TABLE search_positions (i INTEGER PRIMARY KEY) STRICT;\n"
	"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 256)\n"
	"  INSERT INTO search_positions SELECT i FROM n;\n"
	"CREATE VIRTUAL TABLE customer_grams USING fts5(grams, content='',\n"
	"  tokenize='unicode61 remove_diacritics 0');\n"
	"CREATE TRIGGER customers_grams_insert AFTER INSERT ON customers BEGIN\n"
	"  INSERT INTO customer_grams(rowid, grams) VALUES (new.id, " GRAMS_OF("new") ");\n"
	"END;\n"
	"CREATE TRIGGER customers_grams_delete AFTER DELETE ON customers BEGIN\n"
	"  INSERT INTO customer_grams(customer_grams, rowid, grams)\n"
	"    VALUES ('delete', old.id, " GRAMS_OF("old") ");\n"
	"END;\n"
	"CREATE TRIGGER customers_grams_update AFTER UPDATE OF name, plate ON customers\n"
	"  WHEN old.name IS NOT new.name OR old.plate IS NOT new.plate BEGIN\n"
	"  INSERT INTO customer_grams(customer_grams, rowid, grams)\n"
	"    VALUES ('delete', old.id, " GRAMS_OF("old") ");\n"
	"  INSERT INTO customer_grams(rowid, grams) VALUES (new.id, " GRAMS_OF("new") ");\n"
	"END;\n"
	"INSERT INTO customer_grams(rowid, grams) SELECT c.id, " GRAMS_OF("c") " FROM customers c;\n";
#undef GRAMS_OF

/* The swipe decision from one row (issue 17): the customer's nature, tier
 * and provisional flag copied onto each of its cards, so the kiosk decides
 * (blocked, tier, green lane) from the card's row alone.  Kept by
 * triggers that fire only when those columns change (a fuelling, which
 * writes the customer's visit dates and stability, touches no card) and
 * when a card is added or moves to another customer.  A card added with
 * the copy already given (a bulk job's shadow copying its rows) keeps it;
 * NULL (a load made without the triggers) means "not known": the decision
 * then reads the customer (lookup_decision). */
#define SCHEMA_CARD_DECISION_SET(k, c) \
	"UPDATE " k " SET (customer_nature, customer_tier, customer_provisional) =\n" \
	"  (SELECT d.nature, d.tier, d.tier_provisional FROM " c " d WHERE d.id = " k ".customer_id)"
static const char migration_14[] =
	"ALTER TABLE cards ADD COLUMN customer_nature TEXT;\n"
	"ALTER TABLE cards ADD COLUMN customer_tier TEXT;\n"
	"ALTER TABLE cards ADD COLUMN customer_provisional INTEGER;\n"
	SCHEMA_CARD_DECISION_SET("cards", "customers") ";\n"
	"CREATE TRIGGER cards_decision_insert AFTER INSERT ON cards\n"
	"  WHEN new.customer_tier IS NULL BEGIN\n"
	"  " SCHEMA_CARD_DECISION_SET("cards", "customers") " WHERE card_id = new.card_id;\n"
	"END;\n"
	"CREATE TRIGGER cards_decision_move AFTER UPDATE OF customer_id ON cards\n"
	"  WHEN old.customer_id IS NOT new.customer_id BEGIN\n"
	"  " SCHEMA_CARD_DECISION_SET("cards", "customers") " WHERE card_id = new.card_id;\n"
	"END;\n"
	"CREATE TRIGGER customers_decision_update AFTER UPDATE OF nature, tier, tier_provisional\n"
	"  ON customers WHEN old.nature IS NOT new.nature OR old.tier IS NOT new.tier\n"
	"    OR old.tier_provisional IS NOT new.tier_provisional BEGIN\n"
	"  UPDATE cards SET customer_nature = new.nature, customer_tier = new.tier,\n"
	"    customer_provisional = new.tier_provisional WHERE customer_id = new.id;\n"
	"END;\n";
#undef SCHEMA_CARD_DECISION_SET
/* The monthly analysis (issue 17): the volume of the customer's latest
 * visit here, the one at last_visit_at (the greatest id of visits at that
 * time), NULL when none; written by the fuelling's own update of the
 * customer row (classify_after_visit), so its lists read a column instead
 * of two index seeks per customer.  The backfill reads each customer's
 * visits_customer entry at last_visit_at. */
static const char migration_15[] =
	"ALTER TABLE customers ADD COLUMN last_visit_ml INTEGER;\n"
	"UPDATE customers SET last_visit_ml = " SCHEMA_LAST_VISIT_ML("customers") "\n"
	"  WHERE last_visit_at IS NOT NULL;\n";

/* Migration 16 (issue 17): the search entries of the customers a bulk job
 * adds or renames are made after its switch, in the background
 * (search_index_pending): search_pending lists the customers whose entries
 * in customer_search and customer_grams are not made (an id whose customer
 * is gone is left for the builder to forget).  Search reads those
 * customers by a scan (search.c).  The triggers leave a listed customer's
 * entries alone: it has none until the builder makes them from the row as
 * it is then; deleting a customer forgets it in the list. */
#define GRAMS_OF(row) SCHEMA_CUSTOMER_GRAMS(row ".name", row ".plate")
#define NOT_PENDING(row) "NOT EXISTS (SELECT 1 FROM search_pending WHERE id = " row ".id)"
static const char migration_16[] =
	"CREATE TABLE search_pending (id INTEGER PRIMARY KEY) STRICT;\n"
	"DROP TRIGGER customers_search_insert;\n"
	"DROP TRIGGER customers_search_delete;\n"
	"DROP TRIGGER customers_search_update;\n"
	"DROP TRIGGER customers_grams_insert;\n"
	"DROP TRIGGER customers_grams_delete;\n"
	"DROP TRIGGER customers_grams_update;\n"
	"CREATE TRIGGER customers_search_insert AFTER INSERT ON customers\n"
	"  WHEN " NOT_PENDING("new") " BEGIN\n"
	"  INSERT INTO customer_search(rowid, name, phone, plate, code, phone_digits)\n"
	"    VALUES (new.id, new.name, new.phone, new.plate, new.code, new.phone_digits);\n"
	"  INSERT INTO customer_grams(rowid, grams) VALUES (new.id, " GRAMS_OF("new") ");\n"
	"END;\n"
	"CREATE TRIGGER customers_search_delete AFTER DELETE ON customers BEGIN\n"
	"  INSERT INTO customer_search(customer_search, rowid, name, phone, plate, code, phone_digits)\n"
	"    SELECT 'delete', old.id, old.name, old.phone, old.plate, old.code, old.phone_digits\n"
	"    WHERE " NOT_PENDING("old") ";\n"
	"  INSERT INTO customer_grams(customer_grams, rowid, grams)\n"
	"    SELECT 'delete', old.id, " GRAMS_OF("old") " WHERE " NOT_PENDING("old") ";\n"
	"  DELETE FROM search_pending WHERE id = old.id;\n"
	"END;\n"
	"CREATE TRIGGER customers_search_update AFTER UPDATE OF name, phone, plate, code\n"
	"  ON customers WHEN (old.name IS NOT new.name OR old.phone IS NOT new.phone\n"
	"    OR old.plate IS NOT new.plate OR old.code IS NOT new.code) AND " NOT_PENDING("old") " BEGIN\n"
	"  INSERT INTO customer_search(customer_search, rowid, name, phone, plate, code, phone_digits)\n"
	"    VALUES ('delete', old.id, old.name, old.phone, old.plate, old.code, old.phone_digits);\n"
	"  INSERT INTO customer_search(rowid, name, phone, plate, code, phone_digits)\n"
	"    VALUES (new.id, new.name, new.phone, new.plate, new.code, new.phone_digits);\n"
	"END;\n"
	"CREATE TRIGGER customers_grams_update AFTER UPDATE OF name, plate ON customers\n"
	"  WHEN (old.name IS NOT new.name OR old.plate IS NOT new.plate) AND " NOT_PENDING("old") " BEGIN\n"
	"  INSERT INTO customer_grams(customer_grams, rowid, grams)\n"
	"    VALUES ('delete', old.id, " GRAMS_OF("old") ");\n"
	"  INSERT INTO customer_grams(rowid, grams) VALUES (new.id, " GRAMS_OF("new") ");\n"
	"END;\n";
#undef NOT_PENDING
#undef GRAMS_OF

/* Migration 17 (issue 17): visits_created carries what the monthly
 * analysis reads of each of the month's visits (read_litres: its customer,
 * volume, grade and won-back mark; the key's created_at and id are in it
 * already), so the month is a range of the index alone instead of a seek
 * into visits per visit.  Still one index written per visit, a few bytes
 * wider; the rows come in created_at order as before. */
static const char migration_17[] =
	"DROP INDEX visits_created;\n"
	"CREATE INDEX visits_created ON visits(created_at, customer_id, volume_ml, grade, won_back);\n";

static const char *const migrations[] = { migration_1, migration_2, migration_3, migration_4,
					  migration_5, migration_6, migration_7, migration_8,
					  migration_9, migration_10, migration_11, migration_12,
					  migration_13, migration_14, migration_15, migration_16,
					  migration_17 };

int schema_latest_version(void)
{
	return (int)(sizeof migrations / sizeof migrations[0]);
}

const char *schema_migration(int version)
{
	if (version < 1 || version > schema_latest_version())
		return NULL;
	return migrations[version - 1];
}
