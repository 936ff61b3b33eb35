/* hq_schema.c — the migrations.  Step 1 is the whole first schema.
 *
 * Master data (customers, cards, blocked cards, tiers, prices, holidays)
 * carries a version drawn from master_version_seq; GET /v1/master returns
 * rows above the station's version in version order.  Writers take the
 * advisory lock HQ_MASTER_LOCK first, so versions commit in order.
 *
 * records holds every record a station sent once (id = the station's
 * UUIDv7); the effect tables hold one row per record, keyed by record_id,
 * so a record sent twice has one effect. */
#include "hq/hq_schema.h"

static const char *const steps[] = {
	/* 1 */
	"CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);\n"
	"CREATE SEQUENCE master_version_seq;\n"

	"CREATE TABLE stations (\n"
	"  id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{1,32}$'),\n"
	"  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),\n"
	"  token_hash text,                 -- hex BLAKE2b-256 of the token\n"
	"  disabled boolean NOT NULL DEFAULT false,\n"
	"  station_seq bigint NOT NULL DEFAULT 0, -- highest contiguous seq seen\n"
	"  max_seq bigint NOT NULL DEFAULT 0,     -- highest seq seen\n"
	"  records bigint NOT NULL DEFAULT 0,     -- records applied\n"
	"  rejected bigint NOT NULL DEFAULT 0,    -- records refused\n"
	"  last_post_at timestamptz,\n"
	"  created_at timestamptz NOT NULL DEFAULT now());\n"
	/* seqs seen above station_seq (gaps wait here); pruned as it advances */
	"CREATE TABLE seen_seqs (\n"
	"  station text NOT NULL REFERENCES stations(id),\n"
	"  seq bigint NOT NULL, PRIMARY KEY (station, seq));\n"

	"CREATE TABLE records (\n"
	"  id uuid PRIMARY KEY,\n"
	"  station text NOT NULL REFERENCES stations(id),\n"
	"  seq bigint NOT NULL CHECK (seq > 0),\n"
	"  type text NOT NULL,\n"
	"  created_at timestamptz NOT NULL,\n"
	"  staff bigint,\n"
	"  data jsonb NOT NULL,\n"
	"  received_at timestamptz NOT NULL DEFAULT now(),\n"
	"  UNIQUE (station, seq));\n"
	"CREATE TABLE rejected (\n"
	"  station text NOT NULL REFERENCES stations(id),\n"
	"  id text NOT NULL, seq bigint, type text,\n"
	"  code text NOT NULL, message text NOT NULL,\n"
	"  received_at timestamptz NOT NULL DEFAULT now(),\n"
	"  PRIMARY KEY (station, id));\n"

	/* master data */
	"CREATE TABLE customers (\n"
	"  code text PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 64),\n"
	"  name text NOT NULL,\n"
	"  nature text NOT NULL CHECK (nature IN ('big','individual')),\n"
	"  industry text NOT NULL DEFAULT 'other',\n"
	"  tier text NOT NULL DEFAULT 'ordinary' CHECK (\n"
	"    (nature = 'big' AND tier IN ('diamond','gold','silver','ordinary')) OR\n"
	"    (nature = 'individual' AND tier IN ('platinum','gold','silver','ordinary'))),\n"
	"  phone text, plate text, contact text, address text, fuel_grades text,\n"
	"  yearly_litres bigint CHECK (yearly_litres >= 0),\n"
	"  refuel_cycle_days integer CHECK (refuel_cycle_days >= 0),\n"
	"  other_channels text, potential_needs text, person_in_charge text,\n"
	"  handler text, special_needs text,\n"
	"  home_station text,\n"
	"  owner_staff bigint,              -- staff number at the home station\n"
	"  owner_name text,\n"
	"  owner_manual boolean NOT NULL DEFAULT false, -- proposed by a head, kept\n"
	"  points bigint NOT NULL DEFAULT 0,\n"
	"  last_purchase_at timestamptz,\n"
	"  created_at timestamptz NOT NULL DEFAULT now(),\n"
	"  updated_at timestamptz NOT NULL DEFAULT now(),\n"
	"  version bigint NOT NULL);\n"
	"CREATE INDEX customers_version ON customers(version);\n"
	"CREATE TABLE cards (\n"
	"  card_id text PRIMARY KEY CHECK (card_id ~ '^[0-9A-F]{1,64}$'),\n"
	"  customer_code text NOT NULL REFERENCES customers(code),\n"
	"  card_kind text NOT NULL CHECK (card_kind IN ('unit','personal')),\n"
	"  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','blocked')),\n"
	"  version bigint NOT NULL);\n"
	"CREATE INDEX cards_version ON cards(version);\n"
	"CREATE INDEX cards_customer ON cards(customer_code);\n"
	"CREATE TABLE blocked_cards (\n"
	"  card_id text PRIMARY KEY CHECK (card_id ~ '^[0-9A-F]{1,64}$'),\n"
	"  reason text,\n"
	"  blocked_at timestamptz NOT NULL DEFAULT now(),\n"
	"  version bigint NOT NULL);\n"
	"CREATE INDEX blocked_cards_version ON blocked_cards(version);\n"
	/* each station's staff (staff_changed records), to name owners */
	"CREATE TABLE staff (\n"
	"  station text NOT NULL REFERENCES stations(id),\n"
	"  staff bigint NOT NULL, name text NOT NULL, role text NOT NULL,\n"
	"  active boolean NOT NULL DEFAULT true,\n"
	"  PRIMARY KEY (station, staff));\n"
	/* litres per customer and half-year at all stations */
	"CREATE TABLE litres (\n"
	"  customer_code text NOT NULL REFERENCES customers(code),\n"
	"  period text NOT NULL CHECK (period ~ '^[0-9]{4}H[12]$'),\n"
	"  volume_ml bigint NOT NULL DEFAULT 0,\n"
	"  version bigint NOT NULL, PRIMARY KEY (customer_code, period));\n"
	"CREATE INDEX litres_version ON litres(version);\n"
	"CREATE TABLE tier_history (\n"
	"  id bigserial PRIMARY KEY, customer_code text NOT NULL, period text NOT NULL,\n"
	"  old_tier text, new_tier text NOT NULL, volume_ml bigint NOT NULL,\n"
	"  evaluated_at timestamptz NOT NULL DEFAULT now());\n"
	"CREATE TABLE tiers (\n"
	"  customer_code text NOT NULL REFERENCES customers(code),\n"
	"  period text NOT NULL, tier text NOT NULL,\n"
	"  evaluated_at timestamptz NOT NULL DEFAULT now(),\n"
	"  version bigint NOT NULL, PRIMARY KEY (customer_code, period));\n"
	"CREATE INDEX tiers_version ON tiers(version);\n"
	"CREATE TABLE prices (\n"
	"  grade text NOT NULL, tier text NOT NULL, nature text NOT NULL,\n"
	"  discount_fen_per_litre bigint NOT NULL CHECK (discount_fen_per_litre >= 0),\n"
	"  version bigint NOT NULL, PRIMARY KEY (grade, tier, nature));\n"
	"CREATE INDEX prices_version ON prices(version);\n"
	"CREATE TABLE holidays (\n"
	"  date date PRIMARY KEY,\n"
	"  day_kind text NOT NULL CHECK (day_kind IN ('holiday','workday')),\n"
	"  name text,\n"
	"  version bigint NOT NULL);\n"
	"CREATE INDEX holidays_version ON holidays(version);\n"

	/* effects of station records, one row per record */
	"CREATE TABLE visits (\n"
	"  record_id uuid PRIMARY KEY REFERENCES records(id),\n"
	"  station text NOT NULL, created_at timestamptz NOT NULL,\n"
	"  customer_code text, card text, pump integer NOT NULL, grade text NOT NULL,\n"
	"  volume_ml bigint NOT NULL, amount_fen bigint NOT NULL,\n"
	"  price_fen_per_litre bigint NOT NULL, discount_fen bigint NOT NULL,\n"
	"  points_earned bigint NOT NULL, won_back boolean NOT NULL DEFAULT false,\n"
	"  tier text);\n"
	"CREATE INDEX visits_customer ON visits(customer_code, created_at);\n"
	"CREATE TABLE points_ledger (\n"
	"  record_id uuid PRIMARY KEY REFERENCES records(id),\n"
	"  customer_code text NOT NULL, station text NOT NULL, seq bigint NOT NULL,\n"
	"  delta bigint NOT NULL, created_at timestamptz NOT NULL);\n"
	"CREATE INDEX points_ledger_customer ON points_ledger(customer_code);\n"
	"CREATE TABLE redemptions (\n"
	"  record_id uuid PRIMARY KEY REFERENCES records(id),\n"
	"  station text NOT NULL, created_at timestamptz NOT NULL,\n"
	"  customer_code text NOT NULL, card text, points bigint NOT NULL,\n"
	"  value_fen bigint NOT NULL, local_date date);\n"
	"CREATE TABLE registrations (\n"
	"  record_id uuid PRIMARY KEY REFERENCES records(id),\n"
	"  station text NOT NULL, created_at timestamptz NOT NULL,\n"
	"  customer_code text NOT NULL, card text);\n"
	"CREATE TABLE customer_changes (\n"
	"  record_id uuid PRIMARY KEY REFERENCES records(id),\n"
	"  station text NOT NULL, created_at timestamptz NOT NULL,\n"
	"  customer_code text NOT NULL, action text NOT NULL, changes jsonb NOT NULL);\n"
	"CREATE TABLE complaints (\n"
	"  id uuid PRIMARY KEY REFERENCES records(id),\n"
	"  station text NOT NULL, created_at timestamptz NOT NULL,\n"
	"  received_at text, channel text, customer_code text, customer_name text,\n"
	"  category text, severity text, approved_by text, content text,\n"
	"  deadline text, status text NOT NULL DEFAULT 'open');\n"
	"CREATE TABLE complaint_updates (\n"
	"  record_id uuid PRIMARY KEY REFERENCES records(id),\n"
	"  complaint_id uuid NOT NULL, station text NOT NULL,\n"
	"  created_at timestamptz NOT NULL, kind text NOT NULL, result text,\n"
	"  handler text, remarks text, new_severity text, new_deadline text,\n"
	"  approved_by text, reason text);\n"
	"CREATE TABLE callbacks (\n"
	"  record_id uuid PRIMARY KEY REFERENCES records(id),\n"
	"  station text NOT NULL, created_at timestamptz NOT NULL,\n"
	"  customer_code text NOT NULL, method text NOT NULL, contact text, notes text);\n"
	"CREATE TABLE visit_reports (\n"
	"  record_id uuid PRIMARY KEY REFERENCES records(id),\n"
	"  station text NOT NULL, created_at timestamptz NOT NULL,\n"
	"  customer_code text NOT NULL, report_date text,\n"
	"  scores jsonb NOT NULL, suggestions text, contact_name text,\n"
	"  contact_title text, contact_phone text);\n"
	"CREATE TABLE feedback (\n"
	"  record_id uuid PRIMARY KEY REFERENCES records(id),\n"
	"  station text NOT NULL, created_at timestamptz NOT NULL,\n"
	"  visit_id uuid, rating integer NOT NULL CHECK (rating BETWEEN 1 AND 5),\n"
	"  comment text);\n"
	"CREATE TABLE blocked_events (\n"
	"  record_id uuid PRIMARY KEY REFERENCES records(id),\n"
	"  station text NOT NULL, created_at timestamptz NOT NULL,\n"
	"  card text NOT NULL, customer_code text, reason text, seen_where text);\n"
	"CREATE TABLE tier_changes (\n"
	"  record_id uuid PRIMARY KEY REFERENCES records(id),\n"
	"  station text NOT NULL, created_at timestamptz NOT NULL,\n"
	"  customer_code text NOT NULL, nature text, old_tier text, new_tier text,\n"
	"  source text, period text, volume_ml bigint);\n"
	"CREATE TABLE audit_hashes (\n"
	"  record_id uuid PRIMARY KEY REFERENCES records(id),\n"
	"  station text NOT NULL, created_at timestamptz NOT NULL,\n"
	"  audit_id bigint NOT NULL, action text, detail text, hash text NOT NULL);\n"
	"CREATE INDEX audit_hashes_station ON audit_hashes(station, audit_id);\n"
	/* a station's own movements above its contiguous seq (a gap) */
	"CREATE INDEX points_ledger_station ON points_ledger(station, seq);\n",
	/* 2: the complaint book's path (issue 16): an entry is a complaint or a
	 * suggestion; each step (approve, level, tell, close) is a
	 * complaint_update with who approved at which level, who told the
	 * customer, how and when, and the entry's status after it. */
	"ALTER TABLE complaints ADD COLUMN kind text NOT NULL DEFAULT 'complaint'\n"
	"  CHECK (kind IN ('complaint', 'suggestion'));\n"
	"ALTER TABLE complaints ADD COLUMN approval_level text;\n"
	"ALTER TABLE complaint_updates ADD COLUMN level text;\n"
	"ALTER TABLE complaint_updates ADD COLUMN level_no integer;\n"
	"ALTER TABLE complaint_updates ADD COLUMN told_by text;\n"
	"ALTER TABLE complaint_updates ADD COLUMN told_how text;\n"
	"ALTER TABLE complaint_updates ADD COLUMN happened_at text;\n"
	"ALTER TABLE complaint_updates ADD COLUMN status text;\n"
	"CREATE INDEX complaint_updates_complaint ON complaint_updates(complaint_id);\n",
	/* 3: the visit-report form (issue 16):
	 * contact_* stay the principal's, who gains a mobile; the business
	 * contact, the unit's legal person and address, what was learned and
	 * whether the customer signed or sealed the paper form. */
	"ALTER TABLE visit_reports ADD COLUMN principal_mobile text,\n"
	"  ADD COLUMN business_name text, ADD COLUMN business_title text,\n"
	"  ADD COLUMN business_phone text, ADD COLUMN business_mobile text,\n"
	"  ADD COLUMN legal_person text, ADD COLUMN unit_address text,\n"
	"  ADD COLUMN market text, ADD COLUMN service_feedback text, ADD COLUMN needs text,\n"
	"  ADD COLUMN signoff text CHECK (signoff IN ('none','signed','sealed','both'));\n",
};

int hq_schema_count(void)
{
	return (int)(sizeof steps / sizeof steps[0]);
}

const char *hq_schema_step(int v)
{
	return v >= 1 && v <= hq_schema_count() ? steps[v - 1] : "";
}
