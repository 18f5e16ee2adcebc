-- create
BEGIN;
--   params: ()
INSERT INTO prices_identity (id, tenant_id, created_at) VALUES (%(id)s, %(tenant_id)s, %(created_at)s);
--   params: {'id': '00000000000000000000000000000001', 'tenant_id': '00000000000000000000000000000ace', 'created_at': datetime.datetime(2026, 1, 1, 0, 0)}
INSERT INTO prices (id, tenant_id, sku, amount, counter, ref, effective, meta, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, valid_from, valid_to) VALUES (%(id)s, %(tenant_id)s, %(sku)s, %(amount)s, %(counter)s, %(ref)s, %(effective)s, %(meta)s, %(version)s, %(created_at)s, %(created_by)s, %(updated_at)s, %(updated_by)s, %(deleted_at)s, %(deleted_by)s, %(valid_from)s, %(valid_to)s);
--   params: {'id': '00000000000000000000000000000001', 'tenant_id': '00000000000000000000000000000ace', 'sku': 'B2-0', 'amount': Decimal('9.99'), 'counter': 1, 'ref': None, 'effective': None, 'meta': '{}', 'version': 1, 'created_at': datetime.datetime(2026, 1, 1, 0, 0), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0), 'updated_by': 'alice', 'deleted_at': None, 'deleted_by': None, 'valid_from': datetime.datetime(2026, 1, 1, 0, 0), 'valid_to': None}
COMMIT;
--   params: ()
-- create_many
BEGIN;
--   params: ()
INSERT INTO prices_identity (id, tenant_id, created_at) VALUES (%(id)s, %(tenant_id)s, %(created_at)s);
--   params: [{'id': '00000000000000000000000000000001', 'tenant_id': '00000000000000000000000000000ace', 'created_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'id': '00000000000000000000000000000002', 'tenant_id': '00000000000000000000000000000ace', 'created_at': datetime.datetime(2026, 1, 1, 0, 0)}, {'id': '00000000000000000000000000000003', 'tenant_id': '00000000000000000000000000000ace', 'created_at': datetime.datetime(2026, 1, 1, 0, 0)}]
INSERT INTO prices (id, tenant_id, sku, amount, counter, ref, effective, meta, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, valid_from, valid_to) VALUES (%(id)s, %(tenant_id)s, %(sku)s, %(amount)s, %(counter)s, %(ref)s, %(effective)s, %(meta)s, %(version)s, %(created_at)s, %(created_by)s, %(updated_at)s, %(updated_by)s, %(deleted_at)s, %(deleted_by)s, %(valid_from)s, %(valid_to)s);
--   params: [{'id': '00000000000000000000000000000001', 'tenant_id': '00000000000000000000000000000ace', 'sku': 'B2-0', 'amount': Decimal('9.99'), 'counter': 1, 'ref': None, 'effective': None, 'meta': '{}', 'version': 1, 'created_at': datetime.datetime(2026, 1, 1, 0, 0), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0), 'updated_by': 'alice', 'deleted_at': None, 'deleted_by': None, 'valid_from': datetime.datetime(2026, 1, 1, 0, 0), 'valid_to': None}, {'id': '00000000000000000000000000000002', 'tenant_id': '00000000000000000000000000000ace', 'sku': 'B2-1', 'amount': Decimal('9.99'), 'counter': 1, 'ref': None, 'effective': None, 'meta': '{}', 'version': 1, 'created_at': datetime.datetime(2026, 1, 1, 0, 0), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0), 'updated_by': 'alice', 'deleted_at': None, 'deleted_by': None, 'valid_from': datetime.datetime(2026, 1, 1, 0, 0), 'valid_to': None}, {'id': '00000000000000000000000000000003', 'tenant_id': '00000000000000000000000000000ace', 'sku': 'B2-2', 'amount': Decimal('9.99'), 'counter': 1, 'ref': None, 'effective': None, 'meta': '{}', 'version': 1, 'created_at': datetime.datetime(2026, 1, 1, 0, 0), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0), 'updated_by': 'alice', 'deleted_at': None, 'deleted_by': None, 'valid_from': datetime.datetime(2026, 1, 1, 0, 0), 'valid_to': None}]
COMMIT;
--   params: ()
-- get
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by 
FROM prices 
WHERE prices.id = %(_id)s AND prices.tenant_id = %(_t0)s AND prices.deleted_at IS NULL AND prices.current_key = %(current_key_1)s;
--   params: {'_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace', 'current_key_1': 1}
-- get_many
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by 
FROM prices 
WHERE prices.id IN (%(_k0)s, %(_k1)s) AND prices.tenant_id = %(_t0)s AND prices.deleted_at IS NULL AND prices.current_key = %(current_key_1)s;
--   params: {'_k0': '00000000000000000000000000000007', '_k1': '00000000000000000000000000000008', '_t0': '00000000000000000000000000000ace', 'current_key_1': 1}
-- update
BEGIN;
--   params: ()
SELECT prices_identity.id 
FROM prices_identity 
WHERE prices_identity.id = %(_id)s AND prices_identity.tenant_id = %(_t0)s ORDER BY prices_identity.id FOR UPDATE;
--   params: {'_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.row_id, prices.valid_from, prices.valid_to 
FROM prices 
WHERE prices.id = %(_id)s AND prices.tenant_id = %(_t0)s AND prices.deleted_at IS NULL AND prices.current_key = %(current_key_1)s FOR UPDATE;
--   params: {'_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace', 'current_key_1': 1}
UPDATE prices SET valid_to=%(_at)s WHERE prices.tenant_id = %(_tenant)s AND prices.row_id = %(_row)s AND prices.valid_to IS NULL;
--   params: {'_at': datetime.datetime(2026, 1, 1, 0, 0, 0, 1), '_tenant': '00000000000000000000000000000ace', '_row': 1}
INSERT INTO prices (id, tenant_id, sku, amount, counter, ref, effective, meta, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, valid_from, valid_to) VALUES (%(id)s, %(tenant_id)s, %(sku)s, %(amount)s, %(counter)s, %(ref)s, %(effective)s, %(meta)s, %(version)s, %(created_at)s, %(created_by)s, %(updated_at)s, %(updated_by)s, %(deleted_at)s, %(deleted_by)s, %(valid_from)s, %(valid_to)s);
--   params: {'id': '00000000000000000000000000000007', 'tenant_id': '00000000000000000000000000000ace', 'sku': 'A1', 'amount': Decimal('2.00'), 'counter': 1, 'ref': None, 'effective': None, 'meta': '{}', 'version': 2, 'created_at': datetime.datetime(2026, 1, 1, 0, 0), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0, 0, 1), 'updated_by': 'alice', 'deleted_at': None, 'deleted_by': None, 'valid_from': datetime.datetime(2026, 1, 1, 0, 0, 0, 1), 'valid_to': None}
COMMIT;
--   params: ()
-- update_many
BEGIN;
--   params: ()
SELECT prices_identity.id 
FROM prices_identity 
WHERE prices_identity.id IN (%(_k0)s) AND prices_identity.tenant_id = %(_t0)s ORDER BY prices_identity.id FOR UPDATE;
--   params: {'_k0': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.row_id, prices.valid_from 
FROM prices 
WHERE prices.id IN (%(_k0)s) AND prices.tenant_id = %(_t0)s AND prices.deleted_at IS NULL AND prices.current_key = %(current_key_1)s FOR UPDATE;
--   params: {'_k0': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace', 'current_key_1': 1}
UPDATE prices SET valid_to=%(_at)s WHERE prices.tenant_id = %(_tenant)s AND prices.row_id = %(_row)s AND prices.valid_to IS NULL;
--   params: {'_at': datetime.datetime(2026, 1, 1, 0, 0, 0, 1), '_tenant': '00000000000000000000000000000ace', '_row': 1}
INSERT INTO prices (id, tenant_id, sku, amount, counter, ref, effective, meta, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, valid_from, valid_to) VALUES (%(id)s, %(tenant_id)s, %(sku)s, %(amount)s, %(counter)s, %(ref)s, %(effective)s, %(meta)s, %(version)s, %(created_at)s, %(created_by)s, %(updated_at)s, %(updated_by)s, %(deleted_at)s, %(deleted_by)s, %(valid_from)s, %(valid_to)s);
--   params: {'id': '00000000000000000000000000000007', 'tenant_id': '00000000000000000000000000000ace', 'sku': 'A1', 'amount': Decimal('3.00'), 'counter': 1, 'ref': None, 'effective': None, 'meta': '{}', 'version': 2, 'created_at': datetime.datetime(2026, 1, 1, 0, 0), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0, 0, 1), 'updated_by': 'alice', 'deleted_at': None, 'deleted_by': None, 'valid_from': datetime.datetime(2026, 1, 1, 0, 0, 0, 1), 'valid_to': None}
COMMIT;
--   params: ()
-- delete
BEGIN;
--   params: ()
SELECT prices_identity.id 
FROM prices_identity 
WHERE prices_identity.id = %(_id)s AND prices_identity.tenant_id = %(_t0)s ORDER BY prices_identity.id FOR UPDATE;
--   params: {'_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.row_id, prices.valid_from, prices.valid_to 
FROM prices 
WHERE prices.id = %(_id)s AND prices.tenant_id = %(_t0)s AND prices.current_key = %(current_key_1)s FOR UPDATE;
--   params: {'_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace', 'current_key_1': 1}
UPDATE prices SET valid_to=%(_at)s WHERE prices.tenant_id = %(_tenant)s AND prices.row_id = %(_row)s AND prices.valid_to IS NULL;
--   params: {'_at': datetime.datetime(2026, 1, 1, 0, 0, 0, 1), '_tenant': '00000000000000000000000000000ace', '_row': 1}
INSERT INTO prices (id, tenant_id, sku, amount, counter, ref, effective, meta, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, valid_from, valid_to) VALUES (%(id)s, %(tenant_id)s, %(sku)s, %(amount)s, %(counter)s, %(ref)s, %(effective)s, %(meta)s, %(version)s, %(created_at)s, %(created_by)s, %(updated_at)s, %(updated_by)s, %(deleted_at)s, %(deleted_by)s, %(valid_from)s, %(valid_to)s);
--   params: {'id': '00000000000000000000000000000007', 'tenant_id': '00000000000000000000000000000ace', 'sku': 'A1', 'amount': Decimal('9.99'), 'counter': 1, 'ref': None, 'effective': None, 'meta': '{}', 'version': 2, 'created_at': datetime.datetime(2026, 1, 1, 0, 0), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0, 0, 1), 'updated_by': 'alice', 'deleted_at': datetime.datetime(2026, 1, 1, 0, 0, 0, 1), 'deleted_by': 'alice', 'valid_from': datetime.datetime(2026, 1, 1, 0, 0, 0, 1), 'valid_to': None}
COMMIT;
--   params: ()
-- delete_many
BEGIN;
--   params: ()
SELECT prices_identity.id 
FROM prices_identity 
WHERE prices_identity.id IN (%(_k0)s, %(_k1)s) AND prices_identity.tenant_id = %(_t0)s ORDER BY prices_identity.id FOR UPDATE;
--   params: {'_k0': '00000000000000000000000000000007', '_k1': '00000000000000000000000000000008', '_t0': '00000000000000000000000000000ace'}
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.row_id, prices.valid_from 
FROM prices 
WHERE prices.id IN (%(_k0)s, %(_k1)s) AND prices.tenant_id = %(_t0)s AND prices.current_key = %(current_key_1)s FOR UPDATE;
--   params: {'_k0': '00000000000000000000000000000007', '_k1': '00000000000000000000000000000008', '_t0': '00000000000000000000000000000ace', 'current_key_1': 1}
UPDATE prices SET valid_to=%(_at)s WHERE prices.tenant_id = %(_tenant)s AND prices.row_id = %(_row)s AND prices.valid_to IS NULL;
--   params: [{'_at': datetime.datetime(2026, 1, 1, 0, 0, 0, 1), '_tenant': '00000000000000000000000000000ace', '_row': 1}, {'_at': datetime.datetime(2026, 1, 1, 0, 0, 0, 1), '_tenant': '00000000000000000000000000000ace', '_row': 1}]
INSERT INTO prices (id, tenant_id, sku, amount, counter, ref, effective, meta, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, valid_from, valid_to) VALUES (%(id)s, %(tenant_id)s, %(sku)s, %(amount)s, %(counter)s, %(ref)s, %(effective)s, %(meta)s, %(version)s, %(created_at)s, %(created_by)s, %(updated_at)s, %(updated_by)s, %(deleted_at)s, %(deleted_by)s, %(valid_from)s, %(valid_to)s);
--   params: [{'id': '00000000000000000000000000000007', 'tenant_id': '00000000000000000000000000000ace', 'sku': 'A1', 'amount': Decimal('9.99'), 'counter': 1, 'ref': None, 'effective': None, 'meta': '{}', 'version': 2, 'created_at': datetime.datetime(2026, 1, 1, 0, 0), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0, 0, 1), 'updated_by': 'alice', 'deleted_at': datetime.datetime(2026, 1, 1, 0, 0, 0, 1), 'deleted_by': 'alice', 'valid_from': datetime.datetime(2026, 1, 1, 0, 0, 0, 1), 'valid_to': None}, {'id': '00000000000000000000000000000008', 'tenant_id': '00000000000000000000000000000ace', 'sku': 'A2', 'amount': Decimal('9.99'), 'counter': 1, 'ref': None, 'effective': None, 'meta': '{}', 'version': 2, 'created_at': datetime.datetime(2026, 1, 1, 0, 0), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0, 0, 1), 'updated_by': 'alice', 'deleted_at': datetime.datetime(2026, 1, 1, 0, 0, 0, 1), 'deleted_by': 'alice', 'valid_from': datetime.datetime(2026, 1, 1, 0, 0, 0, 1), 'valid_to': None}]
COMMIT;
--   params: ()
-- restore
BEGIN;
--   params: ()
SELECT prices_identity.id 
FROM prices_identity 
WHERE prices_identity.id = %(_id)s AND prices_identity.tenant_id = %(_t0)s ORDER BY prices_identity.id FOR UPDATE;
--   params: {'_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.row_id, prices.valid_from, prices.valid_to 
FROM prices 
WHERE prices.id = %(_id)s AND prices.tenant_id = %(_t0)s AND prices.current_key = %(current_key_1)s FOR UPDATE;
--   params: {'_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace', 'current_key_1': 1}
COMMIT;
--   params: ()
-- purge
BEGIN;
--   params: ()
DELETE FROM prices_identity WHERE prices_identity.id = %(_id)s AND prices_identity.tenant_id = %(_t0)s;
--   params: {'_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
COMMIT;
--   params: ()
-- list
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by 
FROM prices 
WHERE prices.tenant_id = %(_t0)s AND prices.deleted_at IS NULL AND prices.current_key = %(current_key_1)s AND prices.amount > %(p0)s ORDER BY prices.amount ASC, prices.id ASC 
 LIMIT %(_limit)s;
--   params: {'_t0': '00000000000000000000000000000ace', 'current_key_1': 1, 'p0': Decimal('1'), '_limit': 10}
-- count
SELECT count(*) AS count_1 
FROM prices 
WHERE prices.tenant_id = %(_t0)s AND prices.deleted_at IS NULL AND prices.current_key = %(current_key_1)s;
--   params: {'_t0': '00000000000000000000000000000ace', 'current_key_1': 1}
-- exists
SELECT EXISTS (SELECT * 
FROM prices 
WHERE prices.tenant_id = %(_t0)s AND prices.deleted_at IS NULL AND prices.current_key = %(current_key_1)s) AS anon_1;
--   params: {'_t0': '00000000000000000000000000000ace', 'current_key_1': 1}
-- history
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.valid_from, prices.valid_to, prices.recorded_as 
FROM prices 
WHERE prices.id = %(_id)s AND prices.tenant_id = %(_t0)s ORDER BY prices.version;
--   params: {'_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
-- field_history
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.valid_from, prices.valid_to, prices.recorded_as 
FROM prices 
WHERE prices.id = %(_id)s AND prices.tenant_id = %(_t0)s ORDER BY prices.version;
--   params: {'_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
-- changes
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.valid_from, prices.recorded_as, prev.row_id, prev.id AS id_1, prev.tenant_id AS tenant_id_1, prev.sku AS sku_1, prev.amount AS amount_1, prev.counter AS counter_1, prev.ref AS ref_1, prev.effective AS effective_1, prev.meta AS meta_1, prev.version AS version_1, prev.created_at AS created_at_1, prev.created_by AS created_by_1, prev.updated_at AS updated_at_1, prev.updated_by AS updated_by_1, prev.deleted_at AS deleted_at_1, prev.deleted_by AS deleted_by_1 
FROM prices LEFT OUTER JOIN prices AS prev ON prev.id = prices.id AND prev.version = prices.version - %(version_2)s 
WHERE prices.tenant_id = %(_t0)s AND prices.valid_from >= %(_since)s AND prices.updated_by = %(_actor)s ORDER BY prices.valid_from, prices.row_id 
 LIMIT %(_limit)s;
--   params: {'version_2': 1, '_t0': '00000000000000000000000000000ace', '_since': datetime.datetime(2026, 1, 1, 0, 0), '_actor': 'alice', '_limit': 5}
-- prune_history
DELETE FROM prices WHERE prices.tenant_id = %(_t0)s AND prices.valid_to IS NOT NULL AND prices.valid_to < %(_before)s;
--   params: {'_t0': '00000000000000000000000000000ace', '_before': datetime.datetime(2026, 1, 1, 0, 0)}
-- upsert_many
BEGIN;
--   params: ()
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by 
FROM prices 
WHERE prices.id IN (%(_k0)s, %(_k1)s) AND prices.tenant_id = %(_t0)s AND prices.deleted_at IS NULL AND prices.current_key = %(current_key_1)s FOR UPDATE;
--   params: {'_k0': '00000000000000000000000000000007', '_k1': '00000000000000000000000000000009', '_t0': '00000000000000000000000000000ace', 'current_key_1': 1}
SELECT prices_identity.id 
FROM prices_identity 
WHERE prices_identity.id IN (%(_k0)s) AND prices_identity.tenant_id = %(_t0)s ORDER BY prices_identity.id FOR UPDATE;
--   params: {'_k0': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.row_id, prices.valid_from 
FROM prices 
WHERE prices.id IN (%(_k0)s) AND prices.tenant_id = %(_t0)s AND prices.deleted_at IS NULL AND prices.current_key = %(current_key_1)s FOR UPDATE;
--   params: {'_k0': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace', 'current_key_1': 1}
UPDATE prices SET valid_to=%(_at)s WHERE prices.tenant_id = %(_tenant)s AND prices.row_id = %(_row)s AND prices.valid_to IS NULL;
--   params: {'_at': datetime.datetime(2026, 1, 1, 0, 0, 0, 1), '_tenant': '00000000000000000000000000000ace', '_row': 1}
INSERT INTO prices (id, tenant_id, sku, amount, counter, ref, effective, meta, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, valid_from, valid_to) VALUES (%(id)s, %(tenant_id)s, %(sku)s, %(amount)s, %(counter)s, %(ref)s, %(effective)s, %(meta)s, %(version)s, %(created_at)s, %(created_by)s, %(updated_at)s, %(updated_by)s, %(deleted_at)s, %(deleted_by)s, %(valid_from)s, %(valid_to)s);
--   params: {'id': '00000000000000000000000000000007', 'tenant_id': '00000000000000000000000000000ace', 'sku': 'B2-0', 'amount': Decimal('9.99'), 'counter': 1, 'ref': None, 'effective': None, 'meta': '{}', 'version': 2, 'created_at': datetime.datetime(2026, 1, 1, 0, 0), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0, 0, 1), 'updated_by': 'alice', 'deleted_at': None, 'deleted_by': None, 'valid_from': datetime.datetime(2026, 1, 1, 0, 0, 0, 1), 'valid_to': None}
INSERT INTO prices_identity (id, tenant_id, created_at) VALUES (%(id)s, %(tenant_id)s, %(created_at)s);
--   params: {'id': '00000000000000000000000000000009', 'tenant_id': '00000000000000000000000000000ace', 'created_at': datetime.datetime(2026, 1, 1, 0, 0)}
INSERT INTO prices (id, tenant_id, sku, amount, counter, ref, effective, meta, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, valid_from, valid_to) VALUES (%(id)s, %(tenant_id)s, %(sku)s, %(amount)s, %(counter)s, %(ref)s, %(effective)s, %(meta)s, %(version)s, %(created_at)s, %(created_by)s, %(updated_at)s, %(updated_by)s, %(deleted_at)s, %(deleted_by)s, %(valid_from)s, %(valid_to)s);
--   params: {'id': '00000000000000000000000000000009', 'tenant_id': '00000000000000000000000000000ace', 'sku': 'B2-1', 'amount': Decimal('9.99'), 'counter': 1, 'ref': None, 'effective': None, 'meta': '{}', 'version': 1, 'created_at': datetime.datetime(2026, 1, 1, 0, 0), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0), 'updated_by': 'alice', 'deleted_at': None, 'deleted_by': None, 'valid_from': datetime.datetime(2026, 1, 1, 0, 0), 'valid_to': None}
COMMIT;
--   params: ()
-- get_as_of
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by 
FROM prices 
WHERE prices.id = %(_id)s AND prices.tenant_id = %(_t0)s AND prices.deleted_at IS NULL AND prices.valid_from <= %(_asof)s AND (prices.valid_to IS NULL OR prices.valid_to > %(_asof)s) ORDER BY prices.valid_from DESC 
 LIMIT 1;
--   params: {'_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace', '_asof': datetime.datetime(2026, 1, 1, 0, 0)}
-- versions
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.valid_from, prices.valid_to, prices.recorded_as 
FROM prices 
WHERE prices.id = %(_id)s AND prices.tenant_id = %(_t0)s ORDER BY prices.version;
--   params: {'_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
-- compare_versions
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.valid_from, prices.valid_to, prices.recorded_as 
FROM prices 
WHERE prices.id = %(_id)s AND prices.tenant_id = %(_t0)s ORDER BY prices.version;
--   params: {'_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
-- revert
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.valid_from, prices.valid_to, prices.recorded_as 
FROM prices 
WHERE prices.id = %(_id)s AND prices.tenant_id = %(_t0)s ORDER BY prices.version;
--   params: {'_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
BEGIN;
--   params: ()
SELECT prices_identity.id 
FROM prices_identity 
WHERE prices_identity.id = %(_id)s AND prices_identity.tenant_id = %(_t0)s ORDER BY prices_identity.id FOR UPDATE;
--   params: {'_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.row_id, prices.valid_from, prices.valid_to 
FROM prices 
WHERE prices.id = %(_id)s AND prices.tenant_id = %(_t0)s AND prices.deleted_at IS NULL AND prices.current_key = %(current_key_1)s FOR UPDATE;
--   params: {'_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace', 'current_key_1': 1}
COMMIT;
--   params: ()
