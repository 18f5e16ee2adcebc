-- create
BEGIN;
--   params: ()
INSERT INTO accounts (id, tenant_id, code, owner, balance, counter, ref, opened_at, meta, blob, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: [UUID('00000000-0000-0000-0000-000000000001'), UUID('00000000-0000-0000-0000-000000000ace'), 'B2-0', 'Bo', Decimal('9.99'), 1, None, None, '{}', None, 1, '2026-01-01 00:00:00.000000+00:00', 'alice', '2026-01-01 00:00:00.000000+00:00', 'alice', None, None]
INSERT INTO accounts_audit (record_id, tenant_id, change_set, operation, field, old_value, new_value, actor, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: [[UUID('00000000-0000-0000-0000-000000000001'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'code', None, '"B2-0"', 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000001'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'owner', None, '"Bo"', 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000001'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'balance', None, '"9.99"', 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000001'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'counter', None, '1', 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000001'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'ref', None, None, 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000001'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'opened_at', None, None, 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000001'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'meta', None, '{}', 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000001'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'blob', None, None, 'alice', '2026-01-01 00:00:00.000000+00:00']]
COMMIT;
--   params: ()
-- create_many
BEGIN;
--   params: ()
INSERT INTO accounts (id, tenant_id, code, owner, balance, counter, ref, opened_at, meta, blob, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: [[UUID('00000000-0000-0000-0000-000000000001'), UUID('00000000-0000-0000-0000-000000000ace'), 'B2-0', 'Bo', Decimal('9.99'), 1, None, None, '{}', None, 1, '2026-01-01 00:00:00.000000+00:00', 'alice', '2026-01-01 00:00:00.000000+00:00', 'alice', None, None], [UUID('00000000-0000-0000-0000-000000000002'), UUID('00000000-0000-0000-0000-000000000ace'), 'B2-1', 'Bo', Decimal('9.99'), 1, None, None, '{}', None, 1, '2026-01-01 00:00:00.000000+00:00', 'alice', '2026-01-01 00:00:00.000000+00:00', 'alice', None, None], [UUID('00000000-0000-0000-0000-000000000003'), UUID('00000000-0000-0000-0000-000000000ace'), 'B2-2', 'Bo', Decimal('9.99'), 1, None, None, '{}', None, 1, '2026-01-01 00:00:00.000000+00:00', 'alice', '2026-01-01 00:00:00.000000+00:00', 'alice', None, None]]
INSERT INTO accounts_audit (record_id, tenant_id, change_set, operation, field, old_value, new_value, actor, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: [[UUID('00000000-0000-0000-0000-000000000001'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'code', None, '"B2-0"', 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000001'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'owner', None, '"Bo"', 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000001'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'balance', None, '"9.99"', 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000001'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'counter', None, '1', 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000001'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'ref', None, None, 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000001'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'opened_at', None, None, 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000001'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'meta', None, '{}', 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000001'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'blob', None, None, 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000002'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'code', None, '"B2-1"', 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000002'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'owner', None, '"Bo"', 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000002'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'balance', None, '"9.99"', 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000002'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'counter', None, '1', 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000002'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'ref', None, None, 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000002'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'opened_at', None, None, 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000002'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'meta', None, '{}', 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000002'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'blob', None, None, 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000003'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'code', None, '"B2-2"', 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000003'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'owner', None, '"Bo"', 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000003'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'balance', None, '"9.99"', 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000003'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'counter', None, '1', 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000003'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'ref', None, None, 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000003'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'opened_at', None, None, 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000003'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'meta', None, '{}', 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000003'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'blob', None, None, 'alice', '2026-01-01 00:00:00.000000+00:00']]
COMMIT;
--   params: ()
-- get
SELECT accounts.id, accounts.tenant_id, accounts.code, accounts.owner, accounts.balance, accounts.counter, accounts.ref, accounts.opened_at, accounts.meta, accounts.blob, accounts.version, accounts.created_at, accounts.created_by, accounts.updated_at, accounts.updated_by, accounts.deleted_at, accounts.deleted_by 
FROM accounts 
WHERE accounts.id = ? AND accounts.tenant_id = ? AND accounts.deleted_at IS NULL;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'))
-- get_many
SELECT accounts.id, accounts.tenant_id, accounts.code, accounts.owner, accounts.balance, accounts.counter, accounts.ref, accounts.opened_at, accounts.meta, accounts.blob, accounts.version, accounts.created_at, accounts.created_by, accounts.updated_at, accounts.updated_by, accounts.deleted_at, accounts.deleted_by 
FROM accounts 
WHERE accounts.id IN (?, ?) AND accounts.tenant_id = ? AND accounts.deleted_at IS NULL;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000008'), UUID('00000000-0000-0000-0000-000000000ace'))
-- update
BEGIN;
--   params: ()
SELECT accounts.id, accounts.tenant_id, accounts.code, accounts.owner, accounts.balance, accounts.counter, accounts.ref, accounts.opened_at, accounts.meta, accounts.blob, accounts.version, accounts.created_at, accounts.created_by, accounts.updated_at, accounts.updated_by, accounts.deleted_at, accounts.deleted_by 
FROM accounts 
WHERE accounts.id = ? AND accounts.tenant_id = ? AND accounts.deleted_at IS NULL;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'))
UPDATE accounts SET balance=?, version=(accounts.version + ?), updated_at=?, updated_by=? WHERE accounts.id = ? AND accounts.tenant_id = ? AND accounts.deleted_at IS NULL;
--   params: [Decimal('2.00'), 1, '2026-01-01 00:00:00.000000+00:00', 'alice', UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace')]
INSERT INTO accounts_audit (record_id, tenant_id, change_set, operation, field, old_value, new_value, actor, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: [UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'update', 'balance', '"9.99"', '"2.00"', 'alice', '2026-01-01 00:00:00.000000+00:00']
COMMIT;
--   params: ()
-- update_many
BEGIN;
--   params: ()
SELECT accounts.id, accounts.tenant_id, accounts.code, accounts.owner, accounts.balance, accounts.counter, accounts.ref, accounts.opened_at, accounts.meta, accounts.blob, accounts.version, accounts.created_at, accounts.created_by, accounts.updated_at, accounts.updated_by, accounts.deleted_at, accounts.deleted_by 
FROM accounts 
WHERE accounts.id IN (?) AND accounts.tenant_id = ? AND accounts.deleted_at IS NULL;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'))
UPDATE accounts SET balance=?, version=(accounts.version + ?), updated_at=?, updated_by=? WHERE accounts.id = ? AND accounts.tenant_id = ? AND accounts.deleted_at IS NULL;
--   params: [Decimal('3.00'), 1, '2026-01-01 00:00:00.000000+00:00', 'alice', UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace')]
INSERT INTO accounts_audit (record_id, tenant_id, change_set, operation, field, old_value, new_value, actor, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: [UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'update', 'balance', '"9.99"', '"3.00"', 'alice', '2026-01-01 00:00:00.000000+00:00']
COMMIT;
--   params: ()
-- delete
BEGIN;
--   params: ()
SELECT accounts.id, accounts.tenant_id, accounts.code, accounts.owner, accounts.balance, accounts.counter, accounts.ref, accounts.opened_at, accounts.meta, accounts.blob, accounts.version, accounts.created_at, accounts.created_by, accounts.updated_at, accounts.updated_by, accounts.deleted_at, accounts.deleted_by 
FROM accounts 
WHERE accounts.id = ? AND accounts.tenant_id = ?;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'))
UPDATE accounts SET version=(accounts.version + ?), deleted_at=?, deleted_by=? WHERE accounts.id = ? AND accounts.tenant_id = ? AND accounts.deleted_at IS NULL;
--   params: [1, '2026-01-01 00:00:00.000000+00:00', 'alice', UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace')]
INSERT INTO accounts_audit (record_id, tenant_id, change_set, operation, field, old_value, new_value, actor, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: [UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'delete', None, None, None, 'alice', '2026-01-01 00:00:00.000000+00:00']
COMMIT;
--   params: ()
-- delete_many
BEGIN;
--   params: ()
SELECT accounts.id, accounts.tenant_id, accounts.code, accounts.owner, accounts.balance, accounts.counter, accounts.ref, accounts.opened_at, accounts.meta, accounts.blob, accounts.version, accounts.created_at, accounts.created_by, accounts.updated_at, accounts.updated_by, accounts.deleted_at, accounts.deleted_by 
FROM accounts 
WHERE accounts.id IN (?, ?) AND accounts.tenant_id = ?;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000008'), UUID('00000000-0000-0000-0000-000000000ace'))
UPDATE accounts SET version=(accounts.version + ?), deleted_at=?, deleted_by=? WHERE accounts.id = ? AND accounts.tenant_id = ? AND accounts.deleted_at IS NULL;
--   params: [[1, '2026-01-01 00:00:00.000000+00:00', 'alice', UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace')], [1, '2026-01-01 00:00:00.000000+00:00', 'alice', UUID('00000000-0000-0000-0000-000000000008'), UUID('00000000-0000-0000-0000-000000000ace')]]
INSERT INTO accounts_audit (record_id, tenant_id, change_set, operation, field, old_value, new_value, actor, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: [[UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'delete', None, None, None, 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000008'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'delete', None, None, None, 'alice', '2026-01-01 00:00:00.000000+00:00']]
COMMIT;
--   params: ()
-- restore
BEGIN;
--   params: ()
SELECT accounts.id, accounts.tenant_id, accounts.code, accounts.owner, accounts.balance, accounts.counter, accounts.ref, accounts.opened_at, accounts.meta, accounts.blob, accounts.version, accounts.created_at, accounts.created_by, accounts.updated_at, accounts.updated_by, accounts.deleted_at, accounts.deleted_by 
FROM accounts 
WHERE accounts.id = ? AND accounts.tenant_id = ?;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'))
COMMIT;
--   params: ()
-- purge
BEGIN;
--   params: ()
SELECT accounts.id, accounts.tenant_id, accounts.code, accounts.owner, accounts.balance, accounts.counter, accounts.ref, accounts.opened_at, accounts.meta, accounts.blob, accounts.version, accounts.created_at, accounts.created_by, accounts.updated_at, accounts.updated_by, accounts.deleted_at, accounts.deleted_by 
FROM accounts 
WHERE accounts.id = ? AND accounts.tenant_id = ?;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'))
DELETE FROM accounts WHERE accounts.id = ? AND accounts.tenant_id = ?;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'))
INSERT INTO accounts_audit (record_id, tenant_id, change_set, operation, field, old_value, new_value, actor, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: [UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'purge', None, None, None, 'alice', '2026-01-01 00:00:00.000000+00:00']
COMMIT;
--   params: ()
-- list
SELECT anon_1.id, anon_1.tenant_id, anon_1.code, anon_1.owner, anon_1.balance, anon_1.counter, anon_1.ref, anon_1.opened_at, anon_1.meta, anon_1.blob, anon_1.version, anon_1.created_at, anon_1.created_by, anon_1.updated_at, anon_1.updated_by, anon_1.deleted_at, anon_1.deleted_by 
FROM (SELECT accounts.id AS id, accounts.tenant_id AS tenant_id, accounts.code AS code, accounts.owner AS owner, accounts.balance AS balance, accounts.counter AS counter, accounts.ref AS ref, accounts.opened_at AS opened_at, accounts.meta AS meta, accounts.blob AS blob, accounts.version AS version, accounts.created_at AS created_at, accounts.created_by AS created_by, accounts.updated_at AS updated_at, accounts.updated_by AS updated_by, accounts.deleted_at AS deleted_at, accounts.deleted_by AS deleted_by, ROW_NUMBER() OVER (ORDER BY accounts.balance ASC, accounts.id ASC) AS mssql_rn 
FROM accounts 
WHERE accounts.tenant_id = ? AND accounts.deleted_at IS NULL AND accounts.balance > ?) AS anon_1 
WHERE mssql_rn <= ?;
--   params: [UUID('00000000-0000-0000-0000-000000000ace'), Decimal('1'), 10]
-- count
SELECT count(*) AS count_1 
FROM accounts 
WHERE accounts.tenant_id = ? AND accounts.deleted_at IS NULL;
--   params: (UUID('00000000-0000-0000-0000-000000000ace'),)
-- exists
SELECT EXISTS (SELECT * 
FROM accounts 
WHERE accounts.tenant_id = ? AND accounts.deleted_at IS NULL) AS anon_1;
--   params: (UUID('00000000-0000-0000-0000-000000000ace'),)
-- history
SELECT accounts_audit.audit_id, accounts_audit.record_id, accounts_audit.change_set, accounts_audit.operation, accounts_audit.field, accounts_audit.old_value, accounts_audit.new_value, accounts_audit.actor, accounts_audit.changed_at 
FROM accounts_audit 
WHERE accounts_audit.tenant_id = ? AND accounts_audit.record_id = ? ORDER BY accounts_audit.audit_id;
--   params: (UUID('00000000-0000-0000-0000-000000000ace'), UUID('00000000-0000-0000-0000-000000000007'))
-- field_history
SELECT accounts_audit.audit_id, accounts_audit.record_id, accounts_audit.change_set, accounts_audit.operation, accounts_audit.field, accounts_audit.old_value, accounts_audit.new_value, accounts_audit.actor, accounts_audit.changed_at 
FROM accounts_audit 
WHERE accounts_audit.tenant_id = ? AND accounts_audit.record_id = ? AND accounts_audit.field = ? ORDER BY accounts_audit.audit_id;
--   params: (UUID('00000000-0000-0000-0000-000000000ace'), UUID('00000000-0000-0000-0000-000000000007'), 'balance')
-- changes
SELECT anon_1.audit_id, anon_1.record_id, anon_1.change_set, anon_1.operation, anon_1.field, anon_1.old_value, anon_1.new_value, anon_1.actor, anon_1.changed_at 
FROM (SELECT accounts_audit.audit_id AS audit_id, accounts_audit.record_id AS record_id, accounts_audit.change_set AS change_set, accounts_audit.operation AS operation, accounts_audit.field AS field, accounts_audit.old_value AS old_value, accounts_audit.new_value AS new_value, accounts_audit.actor AS actor, accounts_audit.changed_at AS changed_at, ROW_NUMBER() OVER (ORDER BY accounts_audit.changed_at, accounts_audit.audit_id) AS mssql_rn 
FROM accounts_audit 
WHERE accounts_audit.tenant_id = ? AND accounts_audit.changed_at >= ? AND accounts_audit.actor = ?) AS anon_1 
WHERE mssql_rn <= ?;
--   params: [UUID('00000000-0000-0000-0000-000000000ace'), '2026-01-01 00:00:00.000000+00:00', 'alice', 5]
-- prune_history
DELETE FROM accounts_audit WHERE accounts_audit.tenant_id = ? AND accounts_audit.changed_at < ?;
--   params: [UUID('00000000-0000-0000-0000-000000000ace'), '2026-01-01 00:00:00.000000+00:00']
-- upsert_many
BEGIN;
--   params: ()
SELECT accounts.id, accounts.tenant_id, accounts.code, accounts.owner, accounts.balance, accounts.counter, accounts.ref, accounts.opened_at, accounts.meta, accounts.blob, accounts.version, accounts.created_at, accounts.created_by, accounts.updated_at, accounts.updated_by, accounts.deleted_at, accounts.deleted_by 
FROM accounts 
WHERE accounts.id IN (?, ?) AND accounts.tenant_id = ? AND accounts.deleted_at IS NULL;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000009'), UUID('00000000-0000-0000-0000-000000000ace'))
SELECT accounts.id, accounts.tenant_id, accounts.code, accounts.owner, accounts.balance, accounts.counter, accounts.ref, accounts.opened_at, accounts.meta, accounts.blob, accounts.version, accounts.created_at, accounts.created_by, accounts.updated_at, accounts.updated_by, accounts.deleted_at, accounts.deleted_by 
FROM accounts 
WHERE accounts.id IN (?) AND accounts.tenant_id = ? AND accounts.deleted_at IS NULL;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'))
UPDATE accounts SET code=?, owner=?, version=(accounts.version + ?), updated_at=?, updated_by=? WHERE accounts.id = ? AND accounts.tenant_id = ? AND accounts.deleted_at IS NULL;
--   params: ['B2-0', 'Bo', 1, '2026-01-01 00:00:00.000000+00:00', 'alice', UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace')]
INSERT INTO accounts_audit (record_id, tenant_id, change_set, operation, field, old_value, new_value, actor, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: [[UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'update', 'code', '"A1"', '"B2-0"', 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'update', 'owner', '"Ann"', '"Bo"', 'alice', '2026-01-01 00:00:00.000000+00:00']]
INSERT INTO accounts (id, tenant_id, code, owner, balance, counter, ref, opened_at, meta, blob, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: [UUID('00000000-0000-0000-0000-000000000009'), UUID('00000000-0000-0000-0000-000000000ace'), 'B2-1', 'Bo', Decimal('9.99'), 1, None, None, '{}', None, 1, '2026-01-01 00:00:00.000000+00:00', 'alice', '2026-01-01 00:00:00.000000+00:00', 'alice', None, None]
INSERT INTO accounts_audit (record_id, tenant_id, change_set, operation, field, old_value, new_value, actor, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: [[UUID('00000000-0000-0000-0000-000000000009'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'code', None, '"B2-1"', 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000009'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'owner', None, '"Bo"', 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000009'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'balance', None, '"9.99"', 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000009'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'counter', None, '1', 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000009'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'ref', None, None, 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000009'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'opened_at', None, None, 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000009'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'meta', None, '{}', 'alice', '2026-01-01 00:00:00.000000+00:00'], [UUID('00000000-0000-0000-0000-000000000009'), UUID('00000000-0000-0000-0000-000000000ace'), '<uuid7>', 'create', 'blob', None, None, 'alice', '2026-01-01 00:00:00.000000+00:00']]
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
