#pragma once
// The SQLite schema, as versioned migrations applied in order (PRAGMA user_version records the
// last one applied). Never edit a released migration: add a new one, so that every older file
// upgrades along the same path.
//
// This header depends on the standard library only, so that tests can include it by a relative
// path and build databases of an older version from the exact SQL an older crmkit ran.

#include <array>
#include <cstdint>
#include <string_view>

namespace crmkit::storage::sqlite {

/// PRAGMA application_id of crmkit databases: "CRMK" in ASCII. Files with another non-zero id
/// belong to another application and are refused.
inline constexpr std::int32_t crmkit_application_id = 0x43524D4B;

/// One step of the schema: the version it brings the database to and the SQL that does it.
struct Migration {
  int version;
  std::string_view sql;
};

// Version 1: the base tables. Timestamps are INTEGER microseconds since the Unix epoch, money is
// (minor units INTEGER, ISO 4217 code TEXT), enums are their to_string() names, list members keep
// their order in a `position` column. Children go with their parent (ON DELETE CASCADE); records
// of other entities referring to a customer, deal or pipeline block its deletion (foreign keys
// without an action). AUTOINCREMENT keeps ids of removed records from being handed out again.
inline constexpr std::string_view schema_v1 = R"sql(
CREATE TABLE customers (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL CHECK (kind IN ('person', 'organization')),
  given_name TEXT NOT NULL,
  family_name TEXT NOT NULL,
  legal_name TEXT NOT NULL,
  external_ref TEXT,
  owner TEXT NOT NULL,
  lifecycle TEXT NOT NULL,
  source TEXT NOT NULL,
  consent_status TEXT NOT NULL,
  consent_at INTEGER,
  consent_basis TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL,
  deleted_at INTEGER
);
CREATE TABLE customer_emails (
  customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  address TEXT NOT NULL,
  lookup_key TEXT NOT NULL,
  label TEXT NOT NULL,
  is_primary INTEGER NOT NULL,
  PRIMARY KEY (customer_id, position)
) WITHOUT ROWID;
CREATE TABLE customer_phones (
  customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  number TEXT NOT NULL,
  label TEXT NOT NULL,
  is_primary INTEGER NOT NULL,
  PRIMARY KEY (customer_id, position)
) WITHOUT ROWID;
CREATE TABLE customer_addresses (
  customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  city TEXT NOT NULL,
  region TEXT NOT NULL,
  postal_code TEXT NOT NULL,
  country TEXT NOT NULL,
  label TEXT NOT NULL,
  is_primary INTEGER NOT NULL,
  PRIMARY KEY (customer_id, position)
) WITHOUT ROWID;
CREATE TABLE customer_address_lines (
  customer_id INTEGER NOT NULL,
  address_position INTEGER NOT NULL,
  position INTEGER NOT NULL,
  line TEXT NOT NULL,
  PRIMARY KEY (customer_id, address_position, position),
  FOREIGN KEY (customer_id, address_position)
    REFERENCES customer_addresses (customer_id, position) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TABLE customer_memberships (
  customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  organization_id INTEGER NOT NULL REFERENCES customers (id),
  role TEXT NOT NULL,
  PRIMARY KEY (customer_id, position)
) WITHOUT ROWID;
CREATE TABLE customer_tags (
  customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  tag TEXT NOT NULL,
  PRIMARY KEY (customer_id, tag)
) WITHOUT ROWID;
-- `value` has no declared type, hence no affinity: every value keeps the storage class it was
-- written with (a string of digits stays text, a whole double stays REAL); value_type says which
-- AttributeValue alternative it is.
CREATE TABLE customer_attributes (
  customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  value_type TEXT NOT NULL
    CHECK (value_type IN ('null', 'bool', 'integer', 'double', 'string', 'timestamp')),
  value,
  PRIMARY KEY (customer_id, name)
) WITHOUT ROWID;

CREATE TABLE pipelines (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL
);
CREATE TABLE pipeline_stages (
  pipeline_id INTEGER NOT NULL REFERENCES pipelines (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  stage_key TEXT NOT NULL,
  name TEXT NOT NULL,
  category TEXT NOT NULL CHECK (category IN ('open', 'won', 'lost')),
  probability REAL NOT NULL,
  rotting_days INTEGER,
  PRIMARY KEY (pipeline_id, position),
  UNIQUE (pipeline_id, stage_key)
) WITHOUT ROWID;

CREATE TABLE deals (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  pipeline_id INTEGER NOT NULL REFERENCES pipelines (id),
  stage TEXT NOT NULL,
  customer_id INTEGER NOT NULL REFERENCES customers (id),
  title TEXT NOT NULL,
  amount_minor INTEGER NOT NULL,
  currency TEXT NOT NULL,
  probability REAL,
  expected_close TEXT,
  owner TEXT NOT NULL,
  lost_reason TEXT NOT NULL,
  won_at INTEGER,
  lost_at INTEGER,
  external_ref TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL
);
CREATE TABLE deal_contacts (
  deal_id INTEGER NOT NULL REFERENCES deals (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  person_id INTEGER NOT NULL REFERENCES customers (id),
  role TEXT NOT NULL,
  PRIMARY KEY (deal_id, position)
) WITHOUT ROWID;
CREATE TABLE deal_history (
  deal_id INTEGER NOT NULL REFERENCES deals (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  from_stage TEXT,
  to_stage TEXT NOT NULL,
  changed_at INTEGER NOT NULL,
  changed_by TEXT NOT NULL,
  note TEXT NOT NULL,
  PRIMARY KEY (deal_id, position)
) WITHOUT ROWID;

CREATE TABLE interactions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  channel TEXT NOT NULL,
  direction TEXT NOT NULL,
  occurred_at INTEGER NOT NULL,
  duration_s INTEGER NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  outcome TEXT NOT NULL,
  author TEXT NOT NULL,
  deal_id INTEGER REFERENCES deals (id),
  external_ref TEXT,
  created_at INTEGER NOT NULL,
  version INTEGER NOT NULL
);
-- occurred_at is copied from the interaction so that one index serves "a customer's
-- interactions, newest first".
CREATE TABLE interaction_customers (
  interaction_id INTEGER NOT NULL REFERENCES interactions (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  customer_id INTEGER NOT NULL REFERENCES customers (id),
  occurred_at INTEGER NOT NULL,
  PRIMARY KEY (interaction_id, position)
) WITHOUT ROWID;

CREATE TABLE purchases (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  customer_id INTEGER NOT NULL REFERENCES customers (id),
  occurred_at INTEGER NOT NULL,
  amount_minor INTEGER NOT NULL,
  currency TEXT NOT NULL,
  order_ref TEXT NOT NULL,
  quantity REAL,
  product_ref TEXT NOT NULL
);
)sql";

// Version 2: the indexes behind every lookup and list of the Store interface, and behind the
// foreign-key checks made when a customer, deal or pipeline is removed. The unique index on
// customers.external_ref also enforces that rule inside the database.
inline constexpr std::string_view schema_v2 = R"sql(
CREATE INDEX customer_emails_by_lookup_key ON customer_emails (lookup_key);
CREATE INDEX customer_phones_by_number ON customer_phones (number);
CREATE UNIQUE INDEX customers_by_external_ref ON customers (external_ref);
CREATE INDEX customers_by_owner ON customers (owner);
CREATE INDEX customers_by_updated_at ON customers (updated_at);
CREATE INDEX customer_tags_by_tag ON customer_tags (tag);
CREATE INDEX customer_memberships_by_organization ON customer_memberships (organization_id);
CREATE INDEX purchases_by_customer_time ON purchases (customer_id, occurred_at, id);
CREATE INDEX purchases_by_time ON purchases (occurred_at, id);
CREATE INDEX interaction_customers_by_customer_time
  ON interaction_customers (customer_id, occurred_at, interaction_id);
CREATE INDEX interactions_by_time ON interactions (occurred_at, id);
CREATE INDEX interactions_by_deal_time ON interactions (deal_id, occurred_at, id);
CREATE INDEX deals_by_pipeline ON deals (pipeline_id);
CREATE INDEX deals_by_customer ON deals (customer_id);
CREATE INDEX deal_contacts_by_person ON deal_contacts (person_id);
)sql";

/// Every migration, in the order they are applied.
inline constexpr std::array<Migration, 2> migrations{{{1, schema_v1}, {2, schema_v2}}};

/// The schema version this build writes: that of the last migration.
inline constexpr int latest_schema_version = migrations.back().version;

}  // namespace crmkit::storage::sqlite
