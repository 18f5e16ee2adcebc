-- create
BEGIN;
--   params: ()
INSERT INTO prices_identity (id, tenant_id, created_at) VALUES (?, ?, ?);
--   params: [UUID('00000000-0000-0000-0000-000000000001'), UUID('00000000-0000-0000-0000-000000000ace'), '2026-01-01 00:00:00.000000+00:00']
INSERT INTO prices (id, tenant_id, sku, amount, counter, ref, effective, meta, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: [UUID('00000000-0000-0000-0000-000000000001'), UUID('00000000-0000-0000-0000-000000000ace'), 'B2-0', Decimal('9.99'), 1, None, None, '{}', 1, '2026-01-01 00:00:00.000000+00:00', 'alice', '2026-01-01 00:00:00.000000+00:00', 'alice', None, None, '2026-01-01 00:00:00.000000+00:00', None]
COMMIT;
--   params: ()
-- create_many
BEGIN;
--   params: ()
INSERT INTO prices_identity (id, tenant_id, created_at) VALUES (?, ?, ?);
--   params: [[UUID('00000000-0000-0000-0000-000000000001'), UUID('00000000-0000-0000-0000-000000000ace'), '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000002'), UUID('00000000-0000-0000-0000-000000000ace'), '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000003'), UUID('00000000-0000-0000-0000-000000000ace'), '2026-01-01 00:00:00.000000+00:00']]
INSERT INTO prices (id, tenant_id, sku, amount, counter, ref, effective, meta, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: [[UUID('00000000-0000-0000-0000-000000000001'), UUID('00000000-0000-0000-0000-000000000ace'), 'B2-0', Decimal('9.99'), 1, None, None, '{}', 1, '2026-01-01 00:00:00.000000+00:00', 'alice', '2026-01-01 00:00:00.000000+00:00', 'alice', None, None, '2026-01-01 00:00:00.000000+00:00', None], [UUID('00000000-0000-0000-0000-000000000002'), UUID('00000000-0000-0000-0000-000000000ace'), 'B2-1', Decimal('9.99'), 1, None, None, '{}', 1, '2026-01-01 00:00:00.000000+00:00', 'alice', '2026-01-01 00:00:00.000000+00:00', 'alice', None, None, '2026-01-01 00:00:00.000000+00:00', None], [UUID('00000000-0000-0000-0000-000000000003'), UUID('00000000-0000-0000-0000-000000000ace'), 'B2-2', Decimal('9.99'), 1, None, None, '{}', 1, '2026-01-01 00:00:00.000000+00:00', 'alice', '2026-01-01 00:00:00.000000+00:00', 'alice', None, None, '2026-01-01 00:00:00.000000+00:00', None]]
COMMIT;
--   params: ()
-- get
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by 
FROM prices 
WHERE prices.id = ? AND prices.tenant_id = ? AND prices.deleted_at IS NULL AND prices.current_key = ?;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'), 1)
-- get_many
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by 
FROM prices 
WHERE prices.id IN (?, ?) AND prices.tenant_id = ? AND prices.deleted_at IS NULL AND prices.current_key = ?;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000008'), UUID('00000000-0000-0000-0000-000000000ace'), 1)
-- update
BEGIN;
--   params: ()
UPDATE prices SET valid_to=? OUTPUT inserted.id, inserted.tenant_id, inserted.sku, inserted.amount, inserted.counter, inserted.ref, inserted.effective, inserted.meta, inserted.version, inserted.created_at, inserted.created_by, inserted.updated_at, inserted.updated_by, inserted.deleted_at, inserted.deleted_by WHERE prices.id = (SELECT prices_identity.id 
FROM prices_identity 
WHERE prices_identity.id = ? AND prices_identity.tenant_id = ?) AND prices.id = ? AND prices.tenant_id = ? AND prices.deleted_at IS NULL AND prices.current_key = ? AND prices.valid_from < ? AND NOT EXISTS (SELECT prices.amount INTERSECT SELECT ?);
--   params: ['2026-01-01 00:00:00.000000+00:00', UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'), UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'), 1, '2026-01-01 00:00:00.000000+00:00', Decimal('2.00')]
INSERT INTO prices (id, tenant_id, sku, amount, counter, ref, effective, meta, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: [UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'), 'A1', Decimal('2.00'), 1, None, None, '{}', 2, '2026-01-01 00:00:00.000000+00:00', 'alice', '2026-01-01 00:00:00.000000+00:00', 'alice', None, None, '2026-01-01 00:00:00.000000+00:00', None]
COMMIT;
--   params: ()
-- update_many
BEGIN;
--   params: ()
SELECT prices_identity.id 
FROM prices_identity 
WHERE prices_identity.id IN (?) AND prices_identity.tenant_id = ? ORDER BY prices_identity.id;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'))
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.row_id, prices.valid_from 
FROM prices 
WHERE prices.id IN (?) AND prices.tenant_id = ? AND prices.deleted_at IS NULL AND prices.current_key = ?;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'), 1)
UPDATE prices SET valid_to=? WHERE prices.tenant_id = ? AND prices.row_id = ? AND prices.valid_to IS NULL;
--   params: ['2026-01-01 00:00:00.000001+00:00', UUID('00000000-0000-0000-0000-000000000ace'), 1]
INSERT INTO prices (id, tenant_id, sku, amount, counter, ref, effective, meta, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: [UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'), 'A1', Decimal('3.00'), 1, None, None, '{}', 2, '2026-01-01 00:00:00.000000+00:00', 'alice', '2026-01-01 00:00:00.000001+00:00', 'alice', None, None, '2026-01-01 00:00:00.000001+00:00', None]
COMMIT;
--   params: ()
-- delete
BEGIN;
--   params: ()
SELECT prices_identity.id 
FROM prices_identity 
WHERE prices_identity.id = ? AND prices_identity.tenant_id = ? ORDER BY prices_identity.id;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'))
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.row_id, prices.valid_from, prices.valid_to 
FROM prices 
WHERE prices.id = ? AND prices.tenant_id = ? AND prices.current_key = ?;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'), 1)
UPDATE prices SET valid_to=? WHERE prices.tenant_id = ? AND prices.row_id = ? AND prices.valid_to IS NULL;
--   params: ['2026-01-01 00:00:00.000001+00:00', UUID('00000000-0000-0000-0000-000000000ace'), 1]
INSERT INTO prices (id, tenant_id, sku, amount, counter, ref, effective, meta, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: [UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'), 'A1', Decimal('9.99'), 1, None, None, '{}', 2, '2026-01-01 00:00:00.000000+00:00', 'alice', '2026-01-01 00:00:00.000001+00:00', 'alice', '2026-01-01 00:00:00.000001+00:00', 'alice', '2026-01-01 00:00:00.000001+00:00', None]
COMMIT;
--   params: ()
-- delete_many
BEGIN;
--   params: ()
SELECT prices_identity.id 
FROM prices_identity 
WHERE prices_identity.id IN (?, ?) AND prices_identity.tenant_id = ? ORDER BY prices_identity.id;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000008'), UUID('00000000-0000-0000-0000-000000000ace'))
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.row_id, prices.valid_from 
FROM prices 
WHERE prices.id IN (?, ?) AND prices.tenant_id = ? AND prices.current_key = ?;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000008'), UUID('00000000-0000-0000-0000-000000000ace'), 1)
UPDATE prices SET valid_to=? WHERE prices.tenant_id = ? AND prices.row_id = ? AND prices.valid_to IS NULL;
--   params: [['2026-01-01 00:00:00.000001+00:00', UUID('00000000-0000-0000-0000-000000000ace'), 1], ['2026-01-01 00:00:00.000001+00:00', UUID('00000000-0000-0000-0000-000000000ace'), 1]]
INSERT INTO prices (id, tenant_id, sku, amount, counter, ref, effective, meta, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: [[UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'), 'A1', Decimal('9.99'), 1, None, None, '{}', 2, '2026-01-01 00:00:00.000000+00:00', 'alice', '2026-01-01 00:00:00.000001+00:00', 'alice', '2026-01-01 00:00:00.000001+00:00', 'alice', '2026-01-01 00:00:00.000001+00:00', None], [UUID('00000000-0000-0000-0000-000000000008'), UUID('00000000-0000-0000-0000-000000000ace'), 'A2', Decimal('9.99'), 1, None, None, '{}', 2, '2026-01-01 00:00:00.000000+00:00', 'alice', '2026-01-01 00:00:00.000001+00:00', 'alice', '2026-01-01 00:00:00.000001+00:00', 'alice', '2026-01-01 00:00:00.000001+00:00', None]]
COMMIT;
--   params: ()
-- restore
BEGIN;
--   params: ()
SELECT prices_identity.id 
FROM prices_identity 
WHERE prices_identity.id = ? AND prices_identity.tenant_id = ? ORDER BY prices_identity.id;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'))
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.row_id, prices.valid_from, prices.valid_to 
FROM prices 
WHERE prices.id = ? AND prices.tenant_id = ? AND prices.current_key = ?;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'), 1)
COMMIT;
--   params: ()
-- purge
BEGIN;
--   params: ()
DELETE FROM prices_identity WHERE prices_identity.id = ? AND prices_identity.tenant_id = ?;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'))
COMMIT;
--   params: ()
-- list
SELECT anon_1.id, anon_1.tenant_id, anon_1.sku, anon_1.amount, anon_1.counter, anon_1.ref, anon_1.effective, anon_1.meta, anon_1.version, anon_1.created_at, anon_1.created_by, anon_1.updated_at, anon_1.updated_by, anon_1.deleted_at, anon_1.deleted_by 
FROM (SELECT prices.id AS id, prices.tenant_id AS tenant_id, prices.sku AS sku, prices.amount AS amount, prices.counter AS counter, prices.ref AS ref, prices.effective AS effective, prices.meta AS meta, prices.version AS version, prices.created_at AS created_at, prices.created_by AS created_by, prices.updated_at AS updated_at, prices.updated_by AS updated_by, prices.deleted_at AS deleted_at, prices.deleted_by AS deleted_by, ROW_NUMBER() OVER (ORDER BY prices.amount ASC, prices.id ASC) AS mssql_rn 
FROM prices 
WHERE prices.tenant_id = ? AND prices.deleted_at IS NULL AND prices.current_key = ? AND prices.amount > ?) AS anon_1 
WHERE mssql_rn <= ?;
--   params: [UUID('00000000-0000-0000-0000-000000000ace'), 1, Decimal('1'), 10]
-- count
SELECT count(*) AS count_1 
FROM prices 
WHERE prices.tenant_id = ? AND prices.deleted_at IS NULL AND prices.current_key = ?;
--   params: (UUID('00000000-0000-0000-0000-000000000ace'), 1)
-- exists
SELECT EXISTS (SELECT * 
FROM prices 
WHERE prices.tenant_id = ? AND prices.deleted_at IS NULL AND prices.current_key = ?) AS anon_1;
--   params: (UUID('00000000-0000-0000-0000-000000000ace'), 1)
-- history
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.valid_from, prices.valid_to, prices.recorded_as 
FROM prices 
WHERE prices.id = ? AND prices.tenant_id = ? ORDER BY prices.version;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'))
-- field_history
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.valid_from, prices.valid_to, prices.recorded_as 
FROM prices 
WHERE prices.id = ? AND prices.tenant_id = ? ORDER BY prices.version;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'))
-- changes
SELECT anon_1.id, anon_1.tenant_id, anon_1.sku, anon_1.amount, anon_1.counter, anon_1.ref, anon_1.effective, anon_1.meta, anon_1.version, anon_1.created_at, anon_1.created_by, anon_1.updated_at, anon_1.updated_by, anon_1.deleted_at, anon_1.deleted_by, anon_1.valid_from, anon_1.recorded_as, anon_1.row_id, anon_1.id_1, anon_1.tenant_id_1, anon_1.sku_1, anon_1.amount_1, anon_1.counter_1, anon_1.ref_1, anon_1.effective_1, anon_1.meta_1, anon_1.version_1, anon_1.created_at_1, anon_1.created_by_1, anon_1.updated_at_1, anon_1.updated_by_1, anon_1.deleted_at_1, anon_1.deleted_by_1 
FROM (SELECT prices.id AS id, prices.tenant_id AS tenant_id, prices.sku AS sku, prices.amount AS amount, prices.counter AS counter, prices.ref AS ref, prices.effective AS effective, prices.meta AS meta, prices.version AS version, prices.created_at AS created_at, prices.created_by AS created_by, prices.updated_at AS updated_at, prices.updated_by AS updated_by, prices.deleted_at AS deleted_at, prices.deleted_by AS deleted_by, prices.valid_from AS valid_from, prices.recorded_as AS recorded_as, prev.row_id AS row_id, prev.id AS id_1, prev.tenant_id AS tenant_id_1, prev.sku AS sku_1, prev.amount AS amount_1, prev.counter AS counter_1, prev.ref AS ref_1, prev.effective AS effective_1, prev.meta AS meta_1, prev.version AS version_1, prev.created_at AS created_at_1, prev.created_by AS created_by_1, prev.updated_at AS updated_at_1, prev.updated_by AS updated_by_1, prev.deleted_at AS deleted_at_1, prev.deleted_by AS deleted_by_1, ROW_NUMBER() OVER (ORDER BY prices.valid_from, prices.row_id) AS mssql_rn 
FROM prices LEFT OUTER JOIN prices AS prev ON prev.id = prices.id AND prev.version = prices.version - ? 
WHERE prices.tenant_id = ? AND prices.valid_from >= ? AND prices.updated_by = ?) AS anon_1 
WHERE mssql_rn <= ?;
--   params: [1, UUID('00000000-0000-0000-0000-000000000ace'), '2026-01-01 00:00:00.000000+00:00', 'alice', 5]
-- prune_history
DELETE FROM prices WHERE prices.tenant_id = ? AND prices.valid_to IS NOT NULL AND prices.valid_to < ?;
--   params: [UUID('00000000-0000-0000-0000-000000000ace'), '2026-01-01 00:00:00.000000+00:00']
-- upsert_many
BEGIN;
--   params: ()
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by 
FROM prices 
WHERE prices.id IN (?, ?) AND prices.tenant_id = ? AND prices.deleted_at IS NULL AND prices.current_key = ?;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000009'), UUID('00000000-0000-0000-0000-000000000ace'), 1)
SELECT prices_identity.id 
FROM prices_identity 
WHERE prices_identity.id IN (?) AND prices_identity.tenant_id = ? ORDER BY prices_identity.id;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'))
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.row_id, prices.valid_from 
FROM prices 
WHERE prices.id IN (?) AND prices.tenant_id = ? AND prices.deleted_at IS NULL AND prices.current_key = ?;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'), 1)
UPDATE prices SET valid_to=? WHERE prices.tenant_id = ? AND prices.row_id = ? AND prices.valid_to IS NULL;
--   params: ['2026-01-01 00:00:00.000001+00:00', UUID('00000000-0000-0000-0000-000000000ace'), 1]
INSERT INTO prices (id, tenant_id, sku, amount, counter, ref, effective, meta, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: [UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'), 'B2-0', Decimal('9.99'), 1, None, None, '{}', 2, '2026-01-01 00:00:00.000000+00:00', 'alice', '2026-01-01 00:00:00.000001+00:00', 'alice', None, None, '2026-01-01 00:00:00.000001+00:00', None]
INSERT INTO prices_identity (id, tenant_id, created_at) VALUES (?, ?, ?);
--   params: [UUID('00000000-0000-0000-0000-000000000009'), UUID('00000000-0000-0000-0000-000000000ace'), '2026-01-01 00:00:00.000000+00:00']
INSERT INTO prices (id, tenant_id, sku, amount, counter, ref, effective, meta, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: [UUID('00000000-0000-0000-0000-000000000009'), UUID('00000000-0000-0000-0000-000000000ace'), 'B2-1', Decimal('9.99'), 1, None, None, '{}', 1, '2026-01-01 00:00:00.000000+00:00', 'alice', '2026-01-01 00:00:00.000000+00:00', 'alice', None, None, '2026-01-01 00:00:00.000000+00:00', None]
COMMIT;
--   params: ()
-- get_as_of
SELECT anon_1.id, anon_1.tenant_id, anon_1.sku, anon_1.amount, anon_1.counter, anon_1.ref, anon_1.effective, anon_1.meta, anon_1.version, anon_1.created_at, anon_1.created_by, anon_1.updated_at, anon_1.updated_by, anon_1.deleted_at, anon_1.deleted_by 
FROM (SELECT prices.id AS id, prices.tenant_id AS tenant_id, prices.sku AS sku, prices.amount AS amount, prices.counter AS counter, prices.ref AS ref, prices.effective AS effective, prices.meta AS meta, prices.version AS version, prices.created_at AS created_at, prices.created_by AS created_by, prices.updated_at AS updated_at, prices.updated_by AS updated_by, prices.deleted_at AS deleted_at, prices.deleted_by AS deleted_by, ROW_NUMBER() OVER (ORDER BY prices.valid_from DESC) AS mssql_rn 
FROM prices 
WHERE prices.id = ? AND prices.tenant_id = ? AND prices.deleted_at IS NULL AND prices.valid_from <= ? AND (prices.valid_to IS NULL OR prices.valid_to > ?)) AS anon_1 
WHERE mssql_rn <= 1;
--   params: [UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'), '2026-01-01 00:00:00.000000+00:00', '2026-01-01 00:00:00.000000+00:00']
-- versions
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.valid_from, prices.valid_to, prices.recorded_as 
FROM prices 
WHERE prices.id = ? AND prices.tenant_id = ? ORDER BY prices.version;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'))
-- compare_versions
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.valid_from, prices.valid_to, prices.recorded_as 
FROM prices 
WHERE prices.id = ? AND prices.tenant_id = ? ORDER BY prices.version;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'))
-- revert
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.valid_from, prices.valid_to, prices.recorded_as 
FROM prices 
WHERE prices.id = ? AND prices.tenant_id = ? ORDER BY prices.version;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'))
BEGIN;
--   params: ()
UPDATE prices SET valid_to=? OUTPUT inserted.id, inserted.tenant_id, inserted.sku, inserted.amount, inserted.counter, inserted.ref, inserted.effective, inserted.meta, inserted.version, inserted.created_at, inserted.created_by, inserted.updated_at, inserted.updated_by, inserted.deleted_at, inserted.deleted_by WHERE prices.id = (SELECT prices_identity.id 
FROM prices_identity 
WHERE prices_identity.id = ? AND prices_identity.tenant_id = ?) AND prices.id = ? AND prices.tenant_id = ? AND prices.deleted_at IS NULL AND prices.current_key = ? AND prices.valid_from < ? AND (NOT EXISTS (SELECT prices.amount INTERSECT SELECT ?) OR NOT EXISTS (SELECT prices.counter INTERSECT SELECT ?) OR NOT EXISTS (SELECT prices.effective INTERSECT SELECT ?) OR NOT EXISTS (SELECT prices.meta INTERSECT SELECT ?) OR NOT EXISTS (SELECT prices.ref INTERSECT SELECT ?) OR NOT EXISTS (SELECT prices.sku INTERSECT SELECT ?));
--   params: ['2026-01-01 00:00:00.000000+00:00', UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'), UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'), 1, '2026-01-01 00:00:00.000000+00:00', Decimal('9.99'), 1, None, '{}', None, 'A1']
UPDATE prices SET valid_to=? WHERE prices.id = ? AND prices.valid_to = ? AND prices.tenant_id = ?;
--   params: [None, UUID('00000000-0000-0000-0000-000000000007'), '2026-01-01 00:00:00.000000+00:00', UUID('00000000-0000-0000-0000-000000000ace')]
COMMIT;
--   params: ()
