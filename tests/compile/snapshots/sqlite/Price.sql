-- create
BEGIN IMMEDIATE;
--   params: ()
INSERT INTO prices_identity (id, tenant_id, created_at) VALUES (?, ?, ?);
--   params: ['00000000000000000000000000000001', '00000000000000000000000000000ace', '2026-01-01 00:00:00.000000']
INSERT INTO prices (id, tenant_id, sku, amount, counter, ref, effective, meta, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: ['00000000000000000000000000000001', '00000000000000000000000000000ace', 'B2-0', 999, 1, None, None, '{}', 1, '2026-01-01 00:00:00.000000', 'alice', '2026-01-01 00:00:00.000000', 'alice', None, None, '2026-01-01 00:00:00.000000', None]
COMMIT;
--   params: ()
-- create_many
BEGIN IMMEDIATE;
--   params: ()
INSERT INTO prices_identity (id, tenant_id, created_at) VALUES (?, ?, ?);
--   params: [['00000000000000000000000000000001', '00000000000000000000000000000ace', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000002', '00000000000000000000000000000ace', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000003', '00000000000000000000000000000ace', '2026-01-01 00:00:00.000000']]
INSERT INTO prices (id, tenant_id, sku, amount, counter, ref, effective, meta, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: [['00000000000000000000000000000001', '00000000000000000000000000000ace', 'B2-0', 999, 1, None, None, '{}', 1, '2026-01-01 00:00:00.000000', 'alice', '2026-01-01 00:00:00.000000', 'alice', None, None, '2026-01-01 00:00:00.000000', None], ['00000000000000000000000000000002', '00000000000000000000000000000ace', 'B2-1', 999, 1, None, None, '{}', 1, '2026-01-01 00:00:00.000000', 'alice', '2026-01-01 00:00:00.000000', 'alice', None, None, '2026-01-01 00:00:00.000000', None], ['00000000000000000000000000000003', '00000000000000000000000000000ace', 'B2-2', 999, 1, None, None, '{}', 1, '2026-01-01 00:00:00.000000', 'alice', '2026-01-01 00:00:00.000000', 'alice', None, None, '2026-01-01 00:00:00.000000', None]]
COMMIT;
--   params: ()
-- get
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by 
FROM prices 
WHERE prices.id = ? AND prices.tenant_id = ? AND prices.deleted_at IS NULL AND prices.current_key = ?;
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000ace', 1]
-- get_many
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by 
FROM prices 
WHERE prices.id IN (?, ?) AND +prices.tenant_id = ? AND prices.deleted_at IS NULL AND prices.current_key = ?;
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000008', '00000000000000000000000000000ace', 1]
-- update
BEGIN IMMEDIATE;
--   params: ()
UPDATE prices SET valid_to=? WHERE prices.id = ? AND prices.tenant_id = ? AND prices.deleted_at IS NULL AND prices.current_key = ? AND prices.valid_from < ? AND prices.amount IS NOT ? RETURNING id, tenant_id, sku, amount, counter, ref, effective, meta, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by;
--   params: ['2026-01-01 00:00:00.000000', '00000000000000000000000000000007', '00000000000000000000000000000ace', 1, '2026-01-01 00:00:00.000000', 200]
INSERT INTO prices (id, tenant_id, sku, amount, counter, ref, effective, meta, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000ace', 'A1', 200, 1, None, None, '{}', 2, '2026-01-01 00:00:00.000000', 'alice', '2026-01-01 00:00:00.000000', 'alice', None, None, '2026-01-01 00:00:00.000000', None]
COMMIT;
--   params: ()
-- update_many
BEGIN IMMEDIATE;
--   params: ()
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.row_id, prices.valid_from 
FROM prices 
WHERE prices.id IN (?) AND +prices.tenant_id = ? AND prices.deleted_at IS NULL AND prices.current_key = ?;
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000ace', 1]
UPDATE prices SET valid_to=? WHERE prices.tenant_id = ? AND prices.row_id = ? AND prices.valid_to IS NULL;
--   params: ['2026-01-01 00:00:00.000001', '00000000000000000000000000000ace', 1]
INSERT INTO prices (id, tenant_id, sku, amount, counter, ref, effective, meta, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000ace', 'A1', 300, 1, None, None, '{}', 2, '2026-01-01 00:00:00.000000', 'alice', '2026-01-01 00:00:00.000001', 'alice', None, None, '2026-01-01 00:00:00.000001', None]
COMMIT;
--   params: ()
-- delete
BEGIN IMMEDIATE;
--   params: ()
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.row_id, prices.valid_from, prices.valid_to 
FROM prices 
WHERE prices.id = ? AND prices.tenant_id = ? AND prices.current_key = ?;
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000ace', 1]
UPDATE prices SET valid_to=? WHERE prices.tenant_id = ? AND prices.row_id = ? AND prices.valid_to IS NULL;
--   params: ['2026-01-01 00:00:00.000001', '00000000000000000000000000000ace', 1]
INSERT INTO prices (id, tenant_id, sku, amount, counter, ref, effective, meta, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000ace', 'A1', 999, 1, None, None, '{}', 2, '2026-01-01 00:00:00.000000', 'alice', '2026-01-01 00:00:00.000001', 'alice', '2026-01-01 00:00:00.000001', 'alice', '2026-01-01 00:00:00.000001', None]
COMMIT;
--   params: ()
-- delete_many
BEGIN IMMEDIATE;
--   params: ()
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.row_id, prices.valid_from 
FROM prices 
WHERE prices.id IN (?, ?) AND +prices.tenant_id = ? AND prices.current_key = ?;
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000008', '00000000000000000000000000000ace', 1]
UPDATE prices SET valid_to=? WHERE prices.tenant_id = ? AND prices.row_id = ? AND prices.valid_to IS NULL;
--   params: [['2026-01-01 00:00:00.000001', '00000000000000000000000000000ace', 1], ['2026-01-01 00:00:00.000001', '00000000000000000000000000000ace', 1]]
INSERT INTO prices (id, tenant_id, sku, amount, counter, ref, effective, meta, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: [['00000000000000000000000000000007', '00000000000000000000000000000ace', 'A1', 999, 1, None, None, '{}', 2, '2026-01-01 00:00:00.000000', 'alice', '2026-01-01 00:00:00.000001', 'alice', '2026-01-01 00:00:00.000001', 'alice', '2026-01-01 00:00:00.000001', None], ['00000000000000000000000000000008', '00000000000000000000000000000ace', 'A2', 999, 1, None, None, '{}', 2, '2026-01-01 00:00:00.000000', 'alice', '2026-01-01 00:00:00.000001', 'alice', '2026-01-01 00:00:00.000001', 'alice', '2026-01-01 00:00:00.000001', None]]
COMMIT;
--   params: ()
-- restore
BEGIN IMMEDIATE;
--   params: ()
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.row_id, prices.valid_from, prices.valid_to 
FROM prices 
WHERE prices.id = ? AND prices.tenant_id = ? AND prices.current_key = ?;
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000ace', 1]
COMMIT;
--   params: ()
-- purge
BEGIN IMMEDIATE;
--   params: ()
DELETE FROM prices_identity WHERE prices_identity.id = ? AND prices_identity.tenant_id = ?;
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000ace']
COMMIT;
--   params: ()
-- list
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by 
FROM prices 
WHERE prices.tenant_id = ? AND prices.deleted_at IS NULL AND prices.current_key = ? AND prices.amount > ? ORDER BY prices.amount ASC, prices.id ASC
 LIMIT ? OFFSET ?;
--   params: ['00000000000000000000000000000ace', 1, 100, 10, 0]
-- count
SELECT count(*) AS count_1 
FROM prices 
WHERE prices.tenant_id = ? AND prices.deleted_at IS NULL AND prices.current_key = ?;
--   params: ['00000000000000000000000000000ace', 1]
-- exists
SELECT EXISTS (SELECT * 
FROM prices 
WHERE prices.tenant_id = ? AND prices.deleted_at IS NULL AND prices.current_key = ?) AS anon_1;
--   params: ['00000000000000000000000000000ace', 1]
-- history
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.valid_from, prices.valid_to, prices.recorded_as 
FROM prices 
WHERE prices.id = ? AND prices.tenant_id = ? ORDER BY prices.version;
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000ace']
-- field_history
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.valid_from, prices.valid_to, prices.recorded_as 
FROM prices 
WHERE prices.id = ? AND prices.tenant_id = ? ORDER BY prices.version;
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000ace']
-- changes
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.valid_from, prices.recorded_as, prev.row_id, prev.id AS id_1, prev.tenant_id AS tenant_id_1, prev.sku AS sku_1, prev.amount AS amount_1, prev.counter AS counter_1, prev.ref AS ref_1, prev.effective AS effective_1, prev.meta AS meta_1, prev.version AS version_1, prev.created_at AS created_at_1, prev.created_by AS created_by_1, prev.updated_at AS updated_at_1, prev.updated_by AS updated_by_1, prev.deleted_at AS deleted_at_1, prev.deleted_by AS deleted_by_1 
FROM prices LEFT OUTER JOIN prices AS prev ON prev.id = prices.id AND prev.version = prices.version - ? 
WHERE prices.tenant_id = ? AND prices.valid_from >= ? AND prices.updated_by = ? ORDER BY prices.valid_from, prices.row_id
 LIMIT ? OFFSET ?;
--   params: [1, '00000000000000000000000000000ace', '2026-01-01 00:00:00.000000', 'alice', 5, 0]
-- prune_history
DELETE FROM prices WHERE prices.tenant_id = ? AND prices.valid_to IS NOT NULL AND prices.valid_to < ?;
--   params: ['00000000000000000000000000000ace', '2026-01-01 00:00:00.000000']
-- upsert_many
BEGIN IMMEDIATE;
--   params: ()
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by 
FROM prices 
WHERE prices.id IN (?, ?) AND +prices.tenant_id = ? AND prices.deleted_at IS NULL AND prices.current_key = ?;
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000009', '00000000000000000000000000000ace', 1]
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.row_id, prices.valid_from 
FROM prices 
WHERE prices.id IN (?) AND +prices.tenant_id = ? AND prices.deleted_at IS NULL AND prices.current_key = ?;
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000ace', 1]
UPDATE prices SET valid_to=? WHERE prices.tenant_id = ? AND prices.row_id = ? AND prices.valid_to IS NULL;
--   params: ['2026-01-01 00:00:00.000001', '00000000000000000000000000000ace', 1]
INSERT INTO prices (id, tenant_id, sku, amount, counter, ref, effective, meta, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000ace', 'B2-0', 999, 1, None, None, '{}', 2, '2026-01-01 00:00:00.000000', 'alice', '2026-01-01 00:00:00.000001', 'alice', None, None, '2026-01-01 00:00:00.000001', None]
INSERT INTO prices_identity (id, tenant_id, created_at) VALUES (?, ?, ?);
--   params: ['00000000000000000000000000000009', '00000000000000000000000000000ace', '2026-01-01 00:00:00.000000']
INSERT INTO prices (id, tenant_id, sku, amount, counter, ref, effective, meta, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: ['00000000000000000000000000000009', '00000000000000000000000000000ace', 'B2-1', 999, 1, None, None, '{}', 1, '2026-01-01 00:00:00.000000', 'alice', '2026-01-01 00:00:00.000000', 'alice', None, None, '2026-01-01 00:00:00.000000', None]
COMMIT;
--   params: ()
-- get_as_of
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by 
FROM prices 
WHERE prices.id = ? AND prices.tenant_id = ? AND prices.deleted_at IS NULL AND prices.valid_from <= ? AND (prices.valid_to IS NULL OR prices.valid_to > ?) ORDER BY prices.valid_from DESC
 LIMIT 1 OFFSET ?;
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000ace', '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000', 0]
-- versions
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.valid_from, prices.valid_to, prices.recorded_as 
FROM prices 
WHERE prices.id = ? AND prices.tenant_id = ? ORDER BY prices.version;
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000ace']
-- compare_versions
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.valid_from, prices.valid_to, prices.recorded_as 
FROM prices 
WHERE prices.id = ? AND prices.tenant_id = ? ORDER BY prices.version;
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000ace']
-- revert
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.valid_from, prices.valid_to, prices.recorded_as 
FROM prices 
WHERE prices.id = ? AND prices.tenant_id = ? ORDER BY prices.version;
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000ace']
BEGIN IMMEDIATE;
--   params: ()
UPDATE prices SET valid_to=? WHERE prices.id = ? AND prices.tenant_id = ? AND prices.deleted_at IS NULL AND prices.current_key = ? AND prices.valid_from < ? AND (prices.amount IS NOT ? OR prices.counter IS NOT ? OR prices.effective IS NOT ? OR prices.meta IS NOT ? OR prices.ref IS NOT ? OR prices.sku IS NOT ?) RETURNING id, tenant_id, sku, amount, counter, ref, effective, meta, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by;
--   params: ['2026-01-01 00:00:00.000000', '00000000000000000000000000000007', '00000000000000000000000000000ace', 1, '2026-01-01 00:00:00.000000', 999, 1, None, '{}', None, 'A1']
UPDATE prices SET valid_to=? WHERE prices.id = ? AND prices.valid_to = ? AND prices.tenant_id = ?;
--   params: [None, '00000000000000000000000000000007', '2026-01-01 00:00:00.000000', '00000000000000000000000000000ace']
COMMIT;
--   params: ()
