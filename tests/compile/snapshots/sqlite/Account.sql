-- create
BEGIN IMMEDIATE;
--   params: ()
INSERT INTO accounts (id, tenant_id, code, owner, balance, counter, ref, opened_at, meta, blob, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: ['00000000000000000000000000000001', '00000000000000000000000000000ace', 'B2-0', 'Bo', 999, 1, None, None, '{}', None, 1, '2026-01-01 00:00:00.000000', 'alice', '2026-01-01 00:00:00.000000', 'alice', None, None]
INSERT INTO accounts_audit (record_id, tenant_id, change_set, operation, field, old_value, new_value, actor, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: [['00000000000000000000000000000001', '00000000000000000000000000000ace', '<uuid7>', 'create', 'code', None, '"B2-0"', 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000001', '00000000000000000000000000000ace', '<uuid7>', 'create', 'owner', None, '"Bo"', 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000001', '00000000000000000000000000000ace', '<uuid7>', 'create', 'balance', None, '"9.99"', 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000001', '00000000000000000000000000000ace', '<uuid7>', 'create', 'counter', None, '1', 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000001', '00000000000000000000000000000ace', '<uuid7>', 'create', 'ref', None, None, 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000001', '00000000000000000000000000000ace', '<uuid7>', 'create', 'opened_at', None, None, 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000001', '00000000000000000000000000000ace', '<uuid7>', 'create', 'meta', None, '{}', 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000001', '00000000000000000000000000000ace', '<uuid7>', 'create', 'blob', None, None, 'alice', '2026-01-01 00:00:00.000000']]
COMMIT;
--   params: ()
-- create_many
BEGIN IMMEDIATE;
--   params: ()
INSERT INTO accounts (id, tenant_id, code, owner, balance, counter, ref, opened_at, meta, blob, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: [['00000000000000000000000000000001', '00000000000000000000000000000ace', 'B2-0', 'Bo', 999, 1, None, None, '{}', None, 1, '2026-01-01 00:00:00.000000', 'alice', '2026-01-01 00:00:00.000000', 'alice', None, None], ['00000000000000000000000000000002', '00000000000000000000000000000ace', 'B2-1', 'Bo', 999, 1, None, None, '{}', None, 1, '2026-01-01 00:00:00.000000', 'alice', '2026-01-01 00:00:00.000000', 'alice', None, None], ['00000000000000000000000000000003', '00000000000000000000000000000ace', 'B2-2', 'Bo', 999, 1, None, None, '{}', None, 1, '2026-01-01 00:00:00.000000', 'alice', '2026-01-01 00:00:00.000000', 'alice', None, None]]
INSERT INTO accounts_audit (record_id, tenant_id, change_set, operation, field, old_value, new_value, actor, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: [['00000000000000000000000000000001', '00000000000000000000000000000ace', '<uuid7>', 'create', 'code', None, '"B2-0"', 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000001', '00000000000000000000000000000ace', '<uuid7>', 'create', 'owner', None, '"Bo"', 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000001', '00000000000000000000000000000ace', '<uuid7>', 'create', 'balance', None, '"9.99"', 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000001', '00000000000000000000000000000ace', '<uuid7>', 'create', 'counter', None, '1', 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000001', '00000000000000000000000000000ace', '<uuid7>', 'create', 'ref', None, None, 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000001', '00000000000000000000000000000ace', '<uuid7>', 'create', 'opened_at', None, None, 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000001', '00000000000000000000000000000ace', '<uuid7>', 'create', 'meta', None, '{}', 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000001', '00000000000000000000000000000ace', '<uuid7>', 'create', 'blob', None, None, 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000002', '00000000000000000000000000000ace', '<uuid7>', 'create', 'code', None, '"B2-1"', 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000002', '00000000000000000000000000000ace', '<uuid7>', 'create', 'owner', None, '"Bo"', 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000002', '00000000000000000000000000000ace', '<uuid7>', 'create', 'balance', None, '"9.99"', 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000002', '00000000000000000000000000000ace', '<uuid7>', 'create', 'counter', None, '1', 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000002', '00000000000000000000000000000ace', '<uuid7>', 'create', 'ref', None, None, 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000002', '00000000000000000000000000000ace', '<uuid7>', 'create', 'opened_at', None, None, 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000002', '00000000000000000000000000000ace', '<uuid7>', 'create', 'meta', None, '{}', 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000002', '00000000000000000000000000000ace', '<uuid7>', 'create', 'blob', None, None, 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000003', '00000000000000000000000000000ace', '<uuid7>', 'create', 'code', None, '"B2-2"', 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000003', '00000000000000000000000000000ace', '<uuid7>', 'create', 'owner', None, '"Bo"', 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000003', '00000000000000000000000000000ace', '<uuid7>', 'create', 'balance', None, '"9.99"', 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000003', '00000000000000000000000000000ace', '<uuid7>', 'create', 'counter', None, '1', 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000003', '00000000000000000000000000000ace', '<uuid7>', 'create', 'ref', None, None, 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000003', '00000000000000000000000000000ace', '<uuid7>', 'create', 'opened_at', None, None, 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000003', '00000000000000000000000000000ace', '<uuid7>', 'create', 'meta', None, '{}', 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000003', '00000000000000000000000000000ace', '<uuid7>', 'create', 'blob', None, None, 'alice', '2026-01-01 00:00:00.000000']]
COMMIT;
--   params: ()
-- get
SELECT accounts.id, accounts.tenant_id, accounts.code, accounts.owner, accounts.balance, accounts.counter, accounts.ref, accounts.opened_at, accounts.meta, accounts.blob, accounts.version, accounts.created_at, accounts.created_by, accounts.updated_at, accounts.updated_by, accounts.deleted_at, accounts.deleted_by 
FROM accounts 
WHERE accounts.id = ? AND accounts.tenant_id = ? AND accounts.deleted_at IS NULL;
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000ace']
-- get_many
SELECT accounts.id, accounts.tenant_id, accounts.code, accounts.owner, accounts.balance, accounts.counter, accounts.ref, accounts.opened_at, accounts.meta, accounts.blob, accounts.version, accounts.created_at, accounts.created_by, accounts.updated_at, accounts.updated_by, accounts.deleted_at, accounts.deleted_by 
FROM accounts 
WHERE accounts.id IN (?, ?) AND +accounts.tenant_id = ? AND accounts.deleted_at IS NULL;
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000008', '00000000000000000000000000000ace']
-- update
BEGIN IMMEDIATE;
--   params: ()
SELECT accounts.id, accounts.tenant_id, accounts.code, accounts.owner, accounts.balance, accounts.counter, accounts.ref, accounts.opened_at, accounts.meta, accounts.blob, accounts.version, accounts.created_at, accounts.created_by, accounts.updated_at, accounts.updated_by, accounts.deleted_at, accounts.deleted_by 
FROM accounts 
WHERE accounts.id = ? AND accounts.tenant_id = ? AND accounts.deleted_at IS NULL;
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000ace']
UPDATE accounts SET balance=?, version=(accounts.version + ?), updated_at=?, updated_by=? WHERE accounts.id = ? AND accounts.tenant_id = ? AND accounts.deleted_at IS NULL;
--   params: [200, 1, '2026-01-01 00:00:00.000000', 'alice', '00000000000000000000000000000007', '00000000000000000000000000000ace']
INSERT INTO accounts_audit (record_id, tenant_id, change_set, operation, field, old_value, new_value, actor, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000ace', '<uuid7>', 'update', 'balance', '"9.99"', '"2.00"', 'alice', '2026-01-01 00:00:00.000000']
COMMIT;
--   params: ()
-- update_many
BEGIN IMMEDIATE;
--   params: ()
SELECT accounts.id, accounts.tenant_id, accounts.code, accounts.owner, accounts.balance, accounts.counter, accounts.ref, accounts.opened_at, accounts.meta, accounts.blob, accounts.version, accounts.created_at, accounts.created_by, accounts.updated_at, accounts.updated_by, accounts.deleted_at, accounts.deleted_by 
FROM accounts 
WHERE accounts.id IN (?) AND +accounts.tenant_id = ? AND accounts.deleted_at IS NULL;
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000ace']
UPDATE accounts SET balance=?, version=(accounts.version + ?), updated_at=?, updated_by=? WHERE accounts.id = ? AND accounts.tenant_id = ? AND accounts.deleted_at IS NULL;
--   params: [300, 1, '2026-01-01 00:00:00.000000', 'alice', '00000000000000000000000000000007', '00000000000000000000000000000ace']
INSERT INTO accounts_audit (record_id, tenant_id, change_set, operation, field, old_value, new_value, actor, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000ace', '<uuid7>', 'update', 'balance', '"9.99"', '"3.00"', 'alice', '2026-01-01 00:00:00.000000']
COMMIT;
--   params: ()
-- delete
BEGIN IMMEDIATE;
--   params: ()
SELECT accounts.id, accounts.tenant_id, accounts.code, accounts.owner, accounts.balance, accounts.counter, accounts.ref, accounts.opened_at, accounts.meta, accounts.blob, accounts.version, accounts.created_at, accounts.created_by, accounts.updated_at, accounts.updated_by, accounts.deleted_at, accounts.deleted_by 
FROM accounts 
WHERE accounts.id = ? AND accounts.tenant_id = ?;
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000ace']
UPDATE accounts SET version=(accounts.version + ?), deleted_at=?, deleted_by=? WHERE accounts.id = ? AND accounts.tenant_id = ? AND accounts.deleted_at IS NULL;
--   params: [1, '2026-01-01 00:00:00.000000', 'alice', '00000000000000000000000000000007', '00000000000000000000000000000ace']
INSERT INTO accounts_audit (record_id, tenant_id, change_set, operation, field, old_value, new_value, actor, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000ace', '<uuid7>', 'delete', None, None, None, 'alice', '2026-01-01 00:00:00.000000']
COMMIT;
--   params: ()
-- delete_many
BEGIN IMMEDIATE;
--   params: ()
SELECT accounts.id, accounts.tenant_id, accounts.code, accounts.owner, accounts.balance, accounts.counter, accounts.ref, accounts.opened_at, accounts.meta, accounts.blob, accounts.version, accounts.created_at, accounts.created_by, accounts.updated_at, accounts.updated_by, accounts.deleted_at, accounts.deleted_by 
FROM accounts 
WHERE accounts.id IN (?, ?) AND +accounts.tenant_id = ?;
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000008', '00000000000000000000000000000ace']
UPDATE accounts SET version=(accounts.version + ?), deleted_at=?, deleted_by=? WHERE accounts.id = ? AND accounts.tenant_id = ? AND accounts.deleted_at IS NULL;
--   params: [[1, '2026-01-01 00:00:00.000000', 'alice', '00000000000000000000000000000007', '00000000000000000000000000000ace'], [1, '2026-01-01 00:00:00.000000', 'alice', '00000000000000000000000000000008', '00000000000000000000000000000ace']]
INSERT INTO accounts_audit (record_id, tenant_id, change_set, operation, field, old_value, new_value, actor, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: [['00000000000000000000000000000007', '00000000000000000000000000000ace', '<uuid7>', 'delete', None, None, None, 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000008', '00000000000000000000000000000ace', '<uuid7>', 'delete', None, None, None, 'alice', '2026-01-01 00:00:00.000000']]
COMMIT;
--   params: ()
-- restore
BEGIN IMMEDIATE;
--   params: ()
SELECT accounts.id, accounts.tenant_id, accounts.code, accounts.owner, accounts.balance, accounts.counter, accounts.ref, accounts.opened_at, accounts.meta, accounts.blob, accounts.version, accounts.created_at, accounts.created_by, accounts.updated_at, accounts.updated_by, accounts.deleted_at, accounts.deleted_by 
FROM accounts 
WHERE accounts.id = ? AND accounts.tenant_id = ?;
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000ace']
COMMIT;
--   params: ()
-- purge
BEGIN IMMEDIATE;
--   params: ()
SELECT accounts.id, accounts.tenant_id, accounts.code, accounts.owner, accounts.balance, accounts.counter, accounts.ref, accounts.opened_at, accounts.meta, accounts.blob, accounts.version, accounts.created_at, accounts.created_by, accounts.updated_at, accounts.updated_by, accounts.deleted_at, accounts.deleted_by 
FROM accounts 
WHERE accounts.id = ? AND accounts.tenant_id = ?;
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000ace']
DELETE FROM accounts WHERE accounts.id = ? AND accounts.tenant_id = ?;
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000ace']
INSERT INTO accounts_audit (record_id, tenant_id, change_set, operation, field, old_value, new_value, actor, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000ace', '<uuid7>', 'purge', None, None, None, 'alice', '2026-01-01 00:00:00.000000']
COMMIT;
--   params: ()
-- list
SELECT accounts.id, accounts.tenant_id, accounts.code, accounts.owner, accounts.balance, accounts.counter, accounts.ref, accounts.opened_at, accounts.meta, accounts.blob, accounts.version, accounts.created_at, accounts.created_by, accounts.updated_at, accounts.updated_by, accounts.deleted_at, accounts.deleted_by 
FROM accounts 
WHERE accounts.tenant_id = ? AND accounts.deleted_at IS NULL AND accounts.balance > ? ORDER BY accounts.balance ASC, accounts.id ASC
 LIMIT ? OFFSET ?;
--   params: ['00000000000000000000000000000ace', 100, 10, 0]
-- count
SELECT count(*) AS count_1 
FROM accounts 
WHERE accounts.tenant_id = ? AND accounts.deleted_at IS NULL;
--   params: ['00000000000000000000000000000ace']
-- exists
SELECT EXISTS (SELECT * 
FROM accounts 
WHERE accounts.tenant_id = ? AND accounts.deleted_at IS NULL) AS anon_1;
--   params: ['00000000000000000000000000000ace']
-- history
SELECT accounts_audit.audit_id, accounts_audit.record_id, accounts_audit.change_set, accounts_audit.operation, accounts_audit.field, accounts_audit.old_value, accounts_audit.new_value, accounts_audit.actor, accounts_audit.changed_at 
FROM accounts_audit 
WHERE accounts_audit.tenant_id = ? AND accounts_audit.record_id = ? ORDER BY accounts_audit.audit_id;
--   params: ['00000000000000000000000000000ace', '00000000000000000000000000000007']
-- field_history
SELECT accounts_audit.audit_id, accounts_audit.record_id, accounts_audit.change_set, accounts_audit.operation, accounts_audit.field, accounts_audit.old_value, accounts_audit.new_value, accounts_audit.actor, accounts_audit.changed_at 
FROM accounts_audit 
WHERE accounts_audit.tenant_id = ? AND accounts_audit.record_id = ? AND accounts_audit.field = ? ORDER BY accounts_audit.audit_id;
--   params: ['00000000000000000000000000000ace', '00000000000000000000000000000007', 'balance']
-- changes
SELECT accounts_audit.audit_id, accounts_audit.record_id, accounts_audit.change_set, accounts_audit.operation, accounts_audit.field, accounts_audit.old_value, accounts_audit.new_value, accounts_audit.actor, accounts_audit.changed_at 
FROM accounts_audit 
WHERE accounts_audit.tenant_id = ? AND accounts_audit.changed_at >= ? AND accounts_audit.actor = ? ORDER BY accounts_audit.changed_at, accounts_audit.audit_id
 LIMIT ? OFFSET ?;
--   params: ['00000000000000000000000000000ace', '2026-01-01 00:00:00.000000', 'alice', 5, 0]
-- prune_history
DELETE FROM accounts_audit WHERE accounts_audit.tenant_id = ? AND accounts_audit.changed_at < ?;
--   params: ['00000000000000000000000000000ace', '2026-01-01 00:00:00.000000']
-- upsert_many
BEGIN IMMEDIATE;
--   params: ()
SELECT accounts.id, accounts.tenant_id, accounts.code, accounts.owner, accounts.balance, accounts.counter, accounts.ref, accounts.opened_at, accounts.meta, accounts.blob, accounts.version, accounts.created_at, accounts.created_by, accounts.updated_at, accounts.updated_by, accounts.deleted_at, accounts.deleted_by 
FROM accounts 
WHERE accounts.id IN (?, ?) AND +accounts.tenant_id = ? AND accounts.deleted_at IS NULL;
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000009', '00000000000000000000000000000ace']
SELECT accounts.id, accounts.tenant_id, accounts.code, accounts.owner, accounts.balance, accounts.counter, accounts.ref, accounts.opened_at, accounts.meta, accounts.blob, accounts.version, accounts.created_at, accounts.created_by, accounts.updated_at, accounts.updated_by, accounts.deleted_at, accounts.deleted_by 
FROM accounts 
WHERE accounts.id IN (?) AND +accounts.tenant_id = ? AND accounts.deleted_at IS NULL;
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000ace']
UPDATE accounts SET code=?, owner=?, version=(accounts.version + ?), updated_at=?, updated_by=? WHERE accounts.id = ? AND accounts.tenant_id = ? AND accounts.deleted_at IS NULL;
--   params: ['B2-0', 'Bo', 1, '2026-01-01 00:00:00.000000', 'alice', '00000000000000000000000000000007', '00000000000000000000000000000ace']
INSERT INTO accounts_audit (record_id, tenant_id, change_set, operation, field, old_value, new_value, actor, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: [['00000000000000000000000000000007', '00000000000000000000000000000ace', '<uuid7>', 'update', 'code', '"A1"', '"B2-0"', 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000007', '00000000000000000000000000000ace', '<uuid7>', 'update', 'owner', '"Ann"', '"Bo"', 'alice', '2026-01-01 00:00:00.000000']]
INSERT INTO accounts (id, tenant_id, code, owner, balance, counter, ref, opened_at, meta, blob, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: ['00000000000000000000000000000009', '00000000000000000000000000000ace', 'B2-1', 'Bo', 999, 1, None, None, '{}', None, 1, '2026-01-01 00:00:00.000000', 'alice', '2026-01-01 00:00:00.000000', 'alice', None, None]
INSERT INTO accounts_audit (record_id, tenant_id, change_set, operation, field, old_value, new_value, actor, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: [['00000000000000000000000000000009', '00000000000000000000000000000ace', '<uuid7>', 'create', 'code', None, '"B2-1"', 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000009', '00000000000000000000000000000ace', '<uuid7>', 'create', 'owner', None, '"Bo"', 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000009', '00000000000000000000000000000ace', '<uuid7>', 'create', 'balance', None, '"9.99"', 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000009', '00000000000000000000000000000ace', '<uuid7>', 'create', 'counter', None, '1', 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000009', '00000000000000000000000000000ace', '<uuid7>', 'create', 'ref', None, None, 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000009', '00000000000000000000000000000ace', '<uuid7>', 'create', 'opened_at', None, None, 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000009', '00000000000000000000000000000ace', '<uuid7>', 'create', 'meta', None, '{}', 'alice', '2026-01-01 00:00:00.000000'], ['00000000000000000000000000000009', '00000000000000000000000000000ace', '<uuid7>', 'create', 'blob', None, None, 'alice', '2026-01-01 00:00:00.000000']]
COMMIT;
--   params: ()
-- get_as_of
-- raises ConfigurationError
-- versions
-- raises ConfigurationError
-- compare_versions
-- raises ConfigurationError
-- revert
-- raises ConfigurationError
