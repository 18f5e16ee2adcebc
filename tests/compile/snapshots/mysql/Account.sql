-- create
BEGIN;
--   params: ()
INSERT INTO accounts (id, tenant_id, code, owner, balance, counter, ref, opened_at, meta, `blob`, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by) VALUES (%(id)s, %(tenant_id)s, %(code)s, %(owner)s, %(balance)s, %(counter)s, %(ref)s, %(opened_at)s, %(meta)s, %(blob)s, %(version)s, %(created_at)s, %(created_by)s, %(updated_at)s, %(updated_by)s, %(deleted_at)s, %(deleted_by)s);
--   params: {'id': '00000000000000000000000000000001', 'tenant_id': '00000000000000000000000000000ace', 'code': 'B2-0', 'owner': 'Bo', 'balance': Decimal('9.99'), 'counter': 1, 'ref': None, 'opened_at': None, 'meta': '{}', 'blob': None, 'version': 1, 'created_at': datetime.datetime(2026, 1, 1, 0, 0), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0), 'updated_by': 'alice', 'deleted_at': None, 'deleted_by': None}
INSERT INTO accounts_audit (record_id, tenant_id, change_set, operation, field, old_value, new_value, actor, changed_at) VALUES (%(record_id)s, %(tenant_id)s, %(change_set)s, %(operation)s, %(field)s, %(old_value)s, %(new_value)s, %(actor)s, %(changed_at)s);
--   params: [{'record_id': '00000000000000000000000000000001', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'code', 'old_value': None, 'new_value': '"B2-0"', 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000001', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'owner', 'old_value': None, 'new_value': '"Bo"', 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000001', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'balance', 'old_value': None, 'new_value': '"9.99"', 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000001', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'counter', 'old_value': None, 'new_value': '1', 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000001', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'ref', 'old_value': None, 'new_value': None, 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000001', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'opened_at', 'old_value': None, 'new_value': None, 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000001', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'meta', 'old_value': None, 'new_value': '{}', 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000001', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'blob', 'old_value': None, 'new_value': None, 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}]
COMMIT;
--   params: ()
-- create_many
BEGIN;
--   params: ()
INSERT INTO accounts (id, tenant_id, code, owner, balance, counter, ref, opened_at, meta, `blob`, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by) VALUES (%(id)s, %(tenant_id)s, %(code)s, %(owner)s, %(balance)s, %(counter)s, %(ref)s, %(opened_at)s, %(meta)s, %(blob)s, %(version)s, %(created_at)s, %(created_by)s, %(updated_at)s, %(updated_by)s, %(deleted_at)s, %(deleted_by)s);
--   params: [{'id': '00000000000000000000000000000001', 'tenant_id': '00000000000000000000000000000ace', 'code': 'B2-0', 'owner': 'Bo', 'balance': Decimal('9.99'), 'counter': 1, 'ref': None, 'opened_at': None, 'meta': '{}', 'blob': None, 'version': 1, 'created_at': datetime.datetime(2026, 1, 1, 0, 0), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0), 'updated_by': 'alice', 'deleted_at': None, 'deleted_by': None}, {'id': '00000000000000000000000000000002', 'tenant_id': '00000000000000000000000000000ace', 'code': 'B2-1', 'owner': 'Bo', 'balance': Decimal('9.99'), 'counter': 1, 'ref': None, 'opened_at': None, 'meta': '{}', 'blob': None, 'version': 1, 'created_at': datetime.datetime(2026, 1, 1, 0, 0), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0), 'updated_by': 'alice', 'deleted_at': None, 'deleted_by': None}, {'id': '00000000000000000000000000000003', 'tenant_id': '00000000000000000000000000000ace', 'code': 'B2-2', 'owner': 'Bo', 'balance': Decimal('9.99'), 'counter': 1, 'ref': None, 'opened_at': None, 'meta': '{}', 'blob': None, 'version': 1, 'created_at': datetime.datetime(2026, 1, 1, 0, 0), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0), 'updated_by': 'alice', 'deleted_at': None, 'deleted_by': None}]
INSERT INTO accounts_audit (record_id, tenant_id, change_set, operation, field, old_value, new_value, actor, changed_at) VALUES (%(record_id)s, %(tenant_id)s, %(change_set)s, %(operation)s, %(field)s, %(old_value)s, %(new_value)s, %(actor)s, %(changed_at)s);
--   params: [{'record_id': '00000000000000000000000000000001', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'code', 'old_value': None, 'new_value': '"B2-0"', 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000001', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'owner', 'old_value': None, 'new_value': '"Bo"', 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000001', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'balance', 'old_value': None, 'new_value': '"9.99"', 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000001', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'counter', 'old_value': None, 'new_value': '1', 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000001', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'ref', 'old_value': None, 'new_value': None, 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000001', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'opened_at', 'old_value': None, 'new_value': None, 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000001', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'meta', 'old_value': None, 'new_value': '{}', 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000001', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'blob', 'old_value': None, 'new_value': None, 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000002', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'code', 'old_value': None, 'new_value': '"B2-1"', 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000002', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'owner', 'old_value': None, 'new_value': '"Bo"', 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000002', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'balance', 'old_value': None, 'new_value': '"9.99"', 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000002', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'counter', 'old_value': None, 'new_value': '1', 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000002', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'ref', 'old_value': None, 'new_value': None, 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000002', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'opened_at', 'old_value': None, 'new_value': None, 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000002', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'meta', 'old_value': None, 'new_value': '{}', 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000002', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'blob', 'old_value': None, 'new_value': None, 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000003', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'code', 'old_value': None, 'new_value': '"B2-2"', 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000003', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'owner', 'old_value': None, 'new_value': '"Bo"', 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000003', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'balance', 'old_value': None, 'new_value': '"9.99"', 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000003', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'counter', 'old_value': None, 'new_value': '1', 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000003', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'ref', 'old_value': None, 'new_value': None, 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000003', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'opened_at', 'old_value': None, 'new_value': None, 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000003', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'meta', 'old_value': None, 'new_value': '{}', 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000003', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'blob', 'old_value': None, 'new_value': None, 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}]
COMMIT;
--   params: ()
-- get
SELECT accounts.id, accounts.tenant_id, accounts.code, accounts.owner, accounts.balance, accounts.counter, accounts.ref, accounts.opened_at, accounts.meta, accounts.`blob`, accounts.version, accounts.created_at, accounts.created_by, accounts.updated_at, accounts.updated_by, accounts.deleted_at, accounts.deleted_by 
FROM accounts 
WHERE accounts.id = %(_id)s AND accounts.tenant_id = %(_t0)s AND accounts.deleted_at IS NULL;
--   params: {'_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
-- get_many
SELECT accounts.id, accounts.tenant_id, accounts.code, accounts.owner, accounts.balance, accounts.counter, accounts.ref, accounts.opened_at, accounts.meta, accounts.`blob`, accounts.version, accounts.created_at, accounts.created_by, accounts.updated_at, accounts.updated_by, accounts.deleted_at, accounts.deleted_by 
FROM accounts 
WHERE accounts.id IN (%(_k0)s, %(_k1)s) AND accounts.tenant_id = %(_t0)s AND accounts.deleted_at IS NULL;
--   params: {'_k0': '00000000000000000000000000000007', '_k1': '00000000000000000000000000000008', '_t0': '00000000000000000000000000000ace'}
-- update
BEGIN;
--   params: ()
SELECT accounts.id, accounts.tenant_id, accounts.code, accounts.owner, accounts.balance, accounts.counter, accounts.ref, accounts.opened_at, accounts.meta, accounts.`blob`, accounts.version, accounts.created_at, accounts.created_by, accounts.updated_at, accounts.updated_by, accounts.deleted_at, accounts.deleted_by 
FROM accounts 
WHERE accounts.id = %(_id)s AND accounts.tenant_id = %(_t0)s AND accounts.deleted_at IS NULL FOR UPDATE;
--   params: {'_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
UPDATE accounts SET balance=%(v_balance)s, version=(accounts.version + %(version_1)s), updated_at=%(_now)s, updated_by=%(_actor)s WHERE accounts.id = %(_id)s AND accounts.tenant_id = %(_t0)s AND accounts.deleted_at IS NULL;
--   params: {'v_balance': Decimal('2.00'), 'version_1': 1, '_now': datetime.datetime(2026, 1, 1, 0, 0), '_actor': 'alice', '_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
INSERT INTO accounts_audit (record_id, tenant_id, change_set, operation, field, old_value, new_value, actor, changed_at) VALUES (%(record_id)s, %(tenant_id)s, %(change_set)s, %(operation)s, %(field)s, %(old_value)s, %(new_value)s, %(actor)s, %(changed_at)s);
--   params: {'record_id': '00000000000000000000000000000007', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'update', 'field': 'balance', 'old_value': '"9.99"', 'new_value': '"2.00"', 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}
COMMIT;
--   params: ()
-- update_many
BEGIN;
--   params: ()
SELECT accounts.id, accounts.tenant_id, accounts.code, accounts.owner, accounts.balance, accounts.counter, accounts.ref, accounts.opened_at, accounts.meta, accounts.`blob`, accounts.version, accounts.created_at, accounts.created_by, accounts.updated_at, accounts.updated_by, accounts.deleted_at, accounts.deleted_by 
FROM accounts 
WHERE accounts.id IN (%(_k0)s) AND accounts.tenant_id = %(_t0)s AND accounts.deleted_at IS NULL FOR UPDATE;
--   params: {'_k0': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
UPDATE accounts SET balance=%(v_balance)s, version=(accounts.version + %(version_1)s), updated_at=%(_now)s, updated_by=%(_actor)s WHERE accounts.id = %(_id)s AND accounts.tenant_id = %(_t0)s AND accounts.deleted_at IS NULL;
--   params: {'v_balance': Decimal('3.00'), 'version_1': 1, '_now': datetime.datetime(2026, 1, 1, 0, 0), '_actor': 'alice', '_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
INSERT INTO accounts_audit (record_id, tenant_id, change_set, operation, field, old_value, new_value, actor, changed_at) VALUES (%(record_id)s, %(tenant_id)s, %(change_set)s, %(operation)s, %(field)s, %(old_value)s, %(new_value)s, %(actor)s, %(changed_at)s);
--   params: {'record_id': '00000000000000000000000000000007', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'update', 'field': 'balance', 'old_value': '"9.99"', 'new_value': '"3.00"', 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}
COMMIT;
--   params: ()
-- delete
BEGIN;
--   params: ()
SELECT accounts.id, accounts.tenant_id, accounts.code, accounts.owner, accounts.balance, accounts.counter, accounts.ref, accounts.opened_at, accounts.meta, accounts.`blob`, accounts.version, accounts.created_at, accounts.created_by, accounts.updated_at, accounts.updated_by, accounts.deleted_at, accounts.deleted_by 
FROM accounts 
WHERE accounts.id = %(_id)s AND accounts.tenant_id = %(_t0)s FOR UPDATE;
--   params: {'_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
UPDATE accounts SET version=(accounts.version + %(version_1)s), deleted_at=%(_now)s, deleted_by=%(_actor)s WHERE accounts.id = %(_id)s AND accounts.tenant_id = %(_t0)s AND accounts.deleted_at IS NULL;
--   params: {'version_1': 1, '_now': datetime.datetime(2026, 1, 1, 0, 0), '_actor': 'alice', '_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
INSERT INTO accounts_audit (record_id, tenant_id, change_set, operation, field, old_value, new_value, actor, changed_at) VALUES (%(record_id)s, %(tenant_id)s, %(change_set)s, %(operation)s, %(field)s, %(old_value)s, %(new_value)s, %(actor)s, %(changed_at)s);
--   params: {'record_id': '00000000000000000000000000000007', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'delete', 'field': None, 'old_value': None, 'new_value': None, 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}
COMMIT;
--   params: ()
-- delete_many
BEGIN;
--   params: ()
SELECT accounts.id, accounts.tenant_id, accounts.code, accounts.owner, accounts.balance, accounts.counter, accounts.ref, accounts.opened_at, accounts.meta, accounts.`blob`, accounts.version, accounts.created_at, accounts.created_by, accounts.updated_at, accounts.updated_by, accounts.deleted_at, accounts.deleted_by 
FROM accounts 
WHERE accounts.id IN (%(_k0)s, %(_k1)s) AND accounts.tenant_id = %(_t0)s FOR UPDATE;
--   params: {'_k0': '00000000000000000000000000000007', '_k1': '00000000000000000000000000000008', '_t0': '00000000000000000000000000000ace'}
UPDATE accounts SET version=(accounts.version + %(version_1)s), deleted_at=%(_now)s, deleted_by=%(_actor)s WHERE accounts.id = %(_id)s AND accounts.tenant_id = %(_t0)s AND accounts.deleted_at IS NULL;
--   params: [{'version_1': 1, '_now': datetime.datetime(2026, 1, 1, 0, 0), '_actor': 'alice', '_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}, {'version_1': 1, '_now': datetime.datetime(2026, 1, 1, 0, 0), '_actor': 'alice', '_id': '00000000000000000000000000000008', '_t0': '00000000000000000000000000000ace'}]
INSERT INTO accounts_audit (record_id, tenant_id, change_set, operation, field, old_value, new_value, actor, changed_at) VALUES (%(record_id)s, %(tenant_id)s, %(change_set)s, %(operation)s, %(field)s, %(old_value)s, %(new_value)s, %(actor)s, %(changed_at)s);
--   params: [{'record_id': '00000000000000000000000000000007', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'delete', 'field': None, 'old_value': None, 'new_value': None, 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000008', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'delete', 'field': None, 'old_value': None, 'new_value': None, 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}]
COMMIT;
--   params: ()
-- restore
BEGIN;
--   params: ()
SELECT accounts.id, accounts.tenant_id, accounts.code, accounts.owner, accounts.balance, accounts.counter, accounts.ref, accounts.opened_at, accounts.meta, accounts.`blob`, accounts.version, accounts.created_at, accounts.created_by, accounts.updated_at, accounts.updated_by, accounts.deleted_at, accounts.deleted_by 
FROM accounts 
WHERE accounts.id = %(_id)s AND accounts.tenant_id = %(_t0)s FOR UPDATE;
--   params: {'_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
COMMIT;
--   params: ()
-- purge
BEGIN;
--   params: ()
SELECT accounts.id, accounts.tenant_id, accounts.code, accounts.owner, accounts.balance, accounts.counter, accounts.ref, accounts.opened_at, accounts.meta, accounts.`blob`, accounts.version, accounts.created_at, accounts.created_by, accounts.updated_at, accounts.updated_by, accounts.deleted_at, accounts.deleted_by 
FROM accounts 
WHERE accounts.id = %(_id)s AND accounts.tenant_id = %(_t0)s FOR UPDATE;
--   params: {'_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
DELETE FROM accounts WHERE accounts.id = %(_id)s AND accounts.tenant_id = %(_t0)s;
--   params: {'_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
INSERT INTO accounts_audit (record_id, tenant_id, change_set, operation, field, old_value, new_value, actor, changed_at) VALUES (%(record_id)s, %(tenant_id)s, %(change_set)s, %(operation)s, %(field)s, %(old_value)s, %(new_value)s, %(actor)s, %(changed_at)s);
--   params: {'record_id': '00000000000000000000000000000007', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'purge', 'field': None, 'old_value': None, 'new_value': None, 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}
COMMIT;
--   params: ()
-- list
SELECT accounts.id, accounts.tenant_id, accounts.code, accounts.owner, accounts.balance, accounts.counter, accounts.ref, accounts.opened_at, accounts.meta, accounts.`blob`, accounts.version, accounts.created_at, accounts.created_by, accounts.updated_at, accounts.updated_by, accounts.deleted_at, accounts.deleted_by 
FROM accounts 
WHERE accounts.tenant_id = %(_t0)s AND accounts.deleted_at IS NULL AND accounts.balance > %(p0)s ORDER BY accounts.balance ASC, accounts.id ASC 
 LIMIT %(_limit)s;
--   params: {'_t0': '00000000000000000000000000000ace', 'p0': Decimal('1'), '_limit': 10}
-- count
SELECT count(*) AS count_1 
FROM accounts 
WHERE accounts.tenant_id = %(_t0)s AND accounts.deleted_at IS NULL;
--   params: {'_t0': '00000000000000000000000000000ace'}
-- exists
SELECT EXISTS (SELECT * 
FROM accounts 
WHERE accounts.tenant_id = %(_t0)s AND accounts.deleted_at IS NULL) AS anon_1;
--   params: {'_t0': '00000000000000000000000000000ace'}
-- history
SELECT accounts_audit.audit_id, accounts_audit.record_id, accounts_audit.change_set, accounts_audit.operation, accounts_audit.field, accounts_audit.old_value, accounts_audit.new_value, accounts_audit.actor, accounts_audit.changed_at 
FROM accounts_audit 
WHERE accounts_audit.tenant_id = %(_t0)s AND accounts_audit.record_id = %(_record_id)s ORDER BY accounts_audit.audit_id;
--   params: {'_t0': '00000000000000000000000000000ace', '_record_id': '00000000000000000000000000000007'}
-- field_history
SELECT accounts_audit.audit_id, accounts_audit.record_id, accounts_audit.change_set, accounts_audit.operation, accounts_audit.field, accounts_audit.old_value, accounts_audit.new_value, accounts_audit.actor, accounts_audit.changed_at 
FROM accounts_audit 
WHERE accounts_audit.tenant_id = %(_t0)s AND accounts_audit.record_id = %(_record_id)s AND accounts_audit.field = %(_field)s ORDER BY accounts_audit.audit_id;
--   params: {'_t0': '00000000000000000000000000000ace', '_record_id': '00000000000000000000000000000007', '_field': 'balance'}
-- changes
SELECT accounts_audit.audit_id, accounts_audit.record_id, accounts_audit.change_set, accounts_audit.operation, accounts_audit.field, accounts_audit.old_value, accounts_audit.new_value, accounts_audit.actor, accounts_audit.changed_at 
FROM accounts_audit 
WHERE accounts_audit.tenant_id = %(_t0)s AND accounts_audit.changed_at >= %(_since)s AND accounts_audit.actor = %(_actor)s ORDER BY accounts_audit.changed_at, accounts_audit.audit_id 
 LIMIT %(_limit)s;
--   params: {'_t0': '00000000000000000000000000000ace', '_since': datetime.datetime(2026, 1, 1, 0, 0), '_actor': 'alice', '_limit': 5}
-- prune_history
DELETE FROM accounts_audit WHERE accounts_audit.tenant_id = %(_t0)s AND accounts_audit.changed_at < %(_before)s;
--   params: {'_t0': '00000000000000000000000000000ace', '_before': datetime.datetime(2026, 1, 1, 0, 0)}
-- upsert_many
BEGIN;
--   params: ()
SELECT accounts.id, accounts.tenant_id, accounts.code, accounts.owner, accounts.balance, accounts.counter, accounts.ref, accounts.opened_at, accounts.meta, accounts.`blob`, accounts.version, accounts.created_at, accounts.created_by, accounts.updated_at, accounts.updated_by, accounts.deleted_at, accounts.deleted_by 
FROM accounts 
WHERE accounts.id IN (%(_k0)s, %(_k1)s) AND accounts.tenant_id = %(_t0)s AND accounts.deleted_at IS NULL FOR UPDATE;
--   params: {'_k0': '00000000000000000000000000000007', '_k1': '00000000000000000000000000000009', '_t0': '00000000000000000000000000000ace'}
SELECT accounts.id, accounts.tenant_id, accounts.code, accounts.owner, accounts.balance, accounts.counter, accounts.ref, accounts.opened_at, accounts.meta, accounts.`blob`, accounts.version, accounts.created_at, accounts.created_by, accounts.updated_at, accounts.updated_by, accounts.deleted_at, accounts.deleted_by 
FROM accounts 
WHERE accounts.id IN (%(_k0)s) AND accounts.tenant_id = %(_t0)s AND accounts.deleted_at IS NULL FOR UPDATE;
--   params: {'_k0': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
UPDATE accounts SET code=%(v_code)s, owner=%(v_owner)s, version=(accounts.version + %(version_1)s), updated_at=%(_now)s, updated_by=%(_actor)s WHERE accounts.id = %(_id)s AND accounts.tenant_id = %(_t0)s AND accounts.deleted_at IS NULL;
--   params: {'v_code': 'B2-0', 'v_owner': 'Bo', 'version_1': 1, '_now': datetime.datetime(2026, 1, 1, 0, 0), '_actor': 'alice', '_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
INSERT INTO accounts_audit (record_id, tenant_id, change_set, operation, field, old_value, new_value, actor, changed_at) VALUES (%(record_id)s, %(tenant_id)s, %(change_set)s, %(operation)s, %(field)s, %(old_value)s, %(new_value)s, %(actor)s, %(changed_at)s);
--   params: [{'record_id': '00000000000000000000000000000007', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'update', 'field': 'code', 'old_value': '"A1"', 'new_value': '"B2-0"', 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000007', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'update', 'field': 'owner', 'old_value': '"Ann"', 'new_value': '"Bo"', 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}]
INSERT INTO accounts (id, tenant_id, code, owner, balance, counter, ref, opened_at, meta, `blob`, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by) VALUES (%(id)s, %(tenant_id)s, %(code)s, %(owner)s, %(balance)s, %(counter)s, %(ref)s, %(opened_at)s, %(meta)s, %(blob)s, %(version)s, %(created_at)s, %(created_by)s, %(updated_at)s, %(updated_by)s, %(deleted_at)s, %(deleted_by)s);
--   params: {'id': '00000000000000000000000000000009', 'tenant_id': '00000000000000000000000000000ace', 'code': 'B2-1', 'owner': 'Bo', 'balance': Decimal('9.99'), 'counter': 1, 'ref': None, 'opened_at': None, 'meta': '{}', 'blob': None, 'version': 1, 'created_at': datetime.datetime(2026, 1, 1, 0, 0), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0), 'updated_by': 'alice', 'deleted_at': None, 'deleted_by': None}
INSERT INTO accounts_audit (record_id, tenant_id, change_set, operation, field, old_value, new_value, actor, changed_at) VALUES (%(record_id)s, %(tenant_id)s, %(change_set)s, %(operation)s, %(field)s, %(old_value)s, %(new_value)s, %(actor)s, %(changed_at)s);
--   params: [{'record_id': '00000000000000000000000000000009', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'code', 'old_value': None, 'new_value': '"B2-1"', 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000009', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'owner', 'old_value': None, 'new_value': '"Bo"', 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000009', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'balance', 'old_value': None, 'new_value': '"9.99"', 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000009', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'counter', 'old_value': None, 'new_value': '1', 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000009', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'ref', 'old_value': None, 'new_value': None, 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000009', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'opened_at', 'old_value': None, 'new_value': None, 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000009', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'meta', 'old_value': None, 'new_value': '{}', 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'record_id': '00000000000000000000000000000009', 'tenant_id': '00000000000000000000000000000ace', 'change_set': '<uuid7>', 'operation': 'create', 'field': 'blob', 'old_value': None, 'new_value': None, 'actor': 'alice', 'changed_at': datetime.datetime(2026, 1, 1, 0, 0)}]
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
