-- create
BEGIN;
--   params: ()
INSERT INTO prices_identity (id, tenant_id, created_at) VALUES (%(id)s::UUID, %(tenant_id)s::UUID, %(created_at)s::TIMESTAMP WITH TIME ZONE);
--   params: {'id': UUID('00000000-0000-0000-0000-000000000001'), 'tenant_id': UUID('00000000-0000-0000-0000-000000000ace'), 'created_at': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)}
INSERT INTO prices (id, tenant_id, sku, amount, counter, ref, effective, meta, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, valid_from, valid_to) VALUES (%(id)s::UUID, %(tenant_id)s::UUID, %(sku)s::VARCHAR, %(amount)s, %(counter)s::BIGINT, %(ref)s::UUID, %(effective)s::TIMESTAMP WITH TIME ZONE, %(meta)s::JSONB, %(version)s::BIGINT, %(created_at)s::TIMESTAMP WITH TIME ZONE, %(created_by)s::VARCHAR, %(updated_at)s::TIMESTAMP WITH TIME ZONE, %(updated_by)s::VARCHAR, %(deleted_at)s::TIMESTAMP WITH TIME ZONE, %(deleted_by)s::VARCHAR, %(valid_from)s::TIMESTAMP WITH TIME ZONE, %(valid_to)s::TIMESTAMP WITH TIME ZONE);
--   params: {'id': UUID('00000000-0000-0000-0000-000000000001'), 'tenant_id': UUID('00000000-0000-0000-0000-000000000ace'), 'sku': 'B2-0', 'amount': Decimal('9.99'), 'counter': 1, 'ref': None, 'effective': None, 'meta': Jsonb({}), 'version': 1, 'created_at': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), 'updated_by': 'alice', 'deleted_at': None, 'deleted_by': None, 'valid_from': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), 'valid_to': None}
COMMIT;
--   params: ()
-- create_many
BEGIN;
--   params: ()
INSERT INTO prices_identity (id, tenant_id, created_at) VALUES (%(id)s::UUID, %(tenant_id)s::UUID, %(created_at)s::TIMESTAMP WITH TIME ZONE);
--   params: [{'id': UUID('00000000-0000-0000-0000-000000000001'), 'tenant_id': UUID('00000000-0000-0000-0000-000000000ace'), 'created_at': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)}, {'id': UUID('00000000-0000-0000-0000-000000000002'), 'tenant_id': UUID('00000000-0000-0000-0000-000000000ace'), 'created_at': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)}, {'id': UUID('00000000-0000-0000-0000-000000000003'), 'tenant_id': UUID('00000000-0000-0000-0000-000000000ace'), 'created_at': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)}]
INSERT INTO prices (id, tenant_id, sku, amount, counter, ref, effective, meta, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, valid_from, valid_to) VALUES (%(id)s::UUID, %(tenant_id)s::UUID, %(sku)s::VARCHAR, %(amount)s, %(counter)s::BIGINT, %(ref)s::UUID, %(effective)s::TIMESTAMP WITH TIME ZONE, %(meta)s::JSONB, %(version)s::BIGINT, %(created_at)s::TIMESTAMP WITH TIME ZONE, %(created_by)s::VARCHAR, %(updated_at)s::TIMESTAMP WITH TIME ZONE, %(updated_by)s::VARCHAR, %(deleted_at)s::TIMESTAMP WITH TIME ZONE, %(deleted_by)s::VARCHAR, %(valid_from)s::TIMESTAMP WITH TIME ZONE, %(valid_to)s::TIMESTAMP WITH TIME ZONE);
--   params: [{'id': UUID('00000000-0000-0000-0000-000000000001'), 'tenant_id': UUID('00000000-0000-0000-0000-000000000ace'), 'sku': 'B2-0', 'amount': Decimal('9.99'), 'counter': 1, 'ref': None, 'effective': None, 'meta': Jsonb({}), 'version': 1, 'created_at': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), 'updated_by': 'alice', 'deleted_at': None, 'deleted_by': None, 'valid_from': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), 'valid_to': None}, {'id': UUID('00000000-0000-0000-0000-000000000002'), 'tenant_id': UUID('00000000-0000-0000-0000-000000000ace'), 'sku': 'B2-1', 'amount': Decimal('9.99'), 'counter': 1, 'ref': None, 'effective': None, 'meta': Jsonb({}), 'version': 1, 'created_at': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), 'updated_by': 'alice', 'deleted_at': None, 'deleted_by': None, 'valid_from': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), 'valid_to': None}, {'id': UUID('00000000-0000-0000-0000-000000000003'), 'tenant_id': UUID('00000000-0000-0000-0000-000000000ace'), 'sku': 'B2-2', 'amount': Decimal('9.99'), 'counter': 1, 'ref': None, 'effective': None, 'meta': Jsonb({}), 'version': 1, 'created_at': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), 'updated_by': 'alice', 'deleted_at': None, 'deleted_by': None, 'valid_from': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), 'valid_to': None}]
COMMIT;
--   params: ()
-- get
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by 
FROM prices 
WHERE prices.id = %(_id)s::UUID AND prices.tenant_id = %(_t0)s::UUID AND prices.deleted_at IS NULL AND prices.current_key = %(current_key_1)s::SMALLINT;
--   params: {'_id': UUID('00000000-0000-0000-0000-000000000007'), '_t0': UUID('00000000-0000-0000-0000-000000000ace'), 'current_key_1': 1}
-- get_many
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by 
FROM prices 
WHERE prices.id IN (%(_k0)s::UUID, %(_k1)s::UUID) AND prices.tenant_id = %(_t0)s::UUID AND prices.deleted_at IS NULL AND prices.current_key = %(current_key_1)s::SMALLINT;
--   params: {'_k0': UUID('00000000-0000-0000-0000-000000000007'), '_k1': UUID('00000000-0000-0000-0000-000000000008'), '_t0': UUID('00000000-0000-0000-0000-000000000ace'), 'current_key_1': 1}
-- update
BEGIN;
--   params: ()
UPDATE prices SET valid_to=%(_now)s::TIMESTAMP WITH TIME ZONE WHERE prices.id = (SELECT prices_identity.id 
FROM prices_identity 
WHERE prices_identity.id = %(_id)s::UUID AND prices_identity.tenant_id = %(_t0)s::UUID ORDER BY prices_identity.id FOR UPDATE) AND prices.id = %(_id)s::UUID AND prices.tenant_id = %(_t0)s::UUID AND prices.deleted_at IS NULL AND prices.current_key = %(current_key_1)s::SMALLINT AND prices.valid_from < %(_now)s::TIMESTAMP WITH TIME ZONE AND prices.amount IS DISTINCT FROM %(v_amount)s RETURNING prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by;
--   params: {'_now': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), '_id': UUID('00000000-0000-0000-0000-000000000007'), '_t0': UUID('00000000-0000-0000-0000-000000000ace'), 'current_key_1': 1, 'v_amount': Decimal('2.00')}
INSERT INTO prices (id, tenant_id, sku, amount, counter, ref, effective, meta, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, valid_from, valid_to) VALUES (%(id)s::UUID, %(tenant_id)s::UUID, %(sku)s::VARCHAR, %(amount)s, %(counter)s::BIGINT, %(ref)s::UUID, %(effective)s::TIMESTAMP WITH TIME ZONE, %(meta)s::JSONB, %(version)s::BIGINT, %(created_at)s::TIMESTAMP WITH TIME ZONE, %(created_by)s::VARCHAR, %(updated_at)s::TIMESTAMP WITH TIME ZONE, %(updated_by)s::VARCHAR, %(deleted_at)s::TIMESTAMP WITH TIME ZONE, %(deleted_by)s::VARCHAR, %(valid_from)s::TIMESTAMP WITH TIME ZONE, %(valid_to)s::TIMESTAMP WITH TIME ZONE);
--   params: {'id': UUID('00000000-0000-0000-0000-000000000007'), 'tenant_id': UUID('00000000-0000-0000-0000-000000000ace'), 'sku': 'A1', 'amount': Decimal('2.00'), 'counter': 1, 'ref': None, 'effective': None, 'meta': Jsonb({}), 'version': 2, 'created_at': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), 'updated_by': 'alice', 'deleted_at': None, 'deleted_by': None, 'valid_from': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), 'valid_to': None}
COMMIT;
--   params: ()
-- update_many
BEGIN;
--   params: ()
SELECT prices_identity.id 
FROM prices_identity 
WHERE prices_identity.id IN (%(_k0)s::UUID) AND prices_identity.tenant_id = %(_t0)s::UUID ORDER BY prices_identity.id FOR UPDATE;
--   params: {'_k0': UUID('00000000-0000-0000-0000-000000000007'), '_t0': UUID('00000000-0000-0000-0000-000000000ace')}
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.row_id, prices.valid_from 
FROM prices 
WHERE prices.id IN (%(_k0)s::UUID) AND prices.tenant_id = %(_t0)s::UUID AND prices.deleted_at IS NULL AND prices.current_key = %(current_key_1)s::SMALLINT FOR UPDATE;
--   params: {'_k0': UUID('00000000-0000-0000-0000-000000000007'), '_t0': UUID('00000000-0000-0000-0000-000000000ace'), 'current_key_1': 1}
UPDATE prices SET valid_to=%(_at)s::TIMESTAMP WITH TIME ZONE WHERE prices.tenant_id = %(_tenant)s::UUID AND prices.row_id = %(_row)s::BIGINT AND prices.valid_to IS NULL;
--   params: {'_at': datetime.datetime(2026, 1, 1, 0, 0, 0, 1, tzinfo=datetime.timezone.utc), '_tenant': UUID('00000000-0000-0000-0000-000000000ace'), '_row': 1}
INSERT INTO prices (id, tenant_id, sku, amount, counter, ref, effective, meta, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, valid_from, valid_to) VALUES (%(id)s::UUID, %(tenant_id)s::UUID, %(sku)s::VARCHAR, %(amount)s, %(counter)s::BIGINT, %(ref)s::UUID, %(effective)s::TIMESTAMP WITH TIME ZONE, %(meta)s::JSONB, %(version)s::BIGINT, %(created_at)s::TIMESTAMP WITH TIME ZONE, %(created_by)s::VARCHAR, %(updated_at)s::TIMESTAMP WITH TIME ZONE, %(updated_by)s::VARCHAR, %(deleted_at)s::TIMESTAMP WITH TIME ZONE, %(deleted_by)s::VARCHAR, %(valid_from)s::TIMESTAMP WITH TIME ZONE, %(valid_to)s::TIMESTAMP WITH TIME ZONE);
--   params: {'id': UUID('00000000-0000-0000-0000-000000000007'), 'tenant_id': UUID('00000000-0000-0000-0000-000000000ace'), 'sku': 'A1', 'amount': Decimal('3.00'), 'counter': 1, 'ref': None, 'effective': None, 'meta': Jsonb({}), 'version': 2, 'created_at': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0, 0, 1, tzinfo=datetime.timezone.utc), 'updated_by': 'alice', 'deleted_at': None, 'deleted_by': None, 'valid_from': datetime.datetime(2026, 1, 1, 0, 0, 0, 1, tzinfo=datetime.timezone.utc), 'valid_to': None}
COMMIT;
--   params: ()
-- delete
BEGIN;
--   params: ()
SELECT prices_identity.id 
FROM prices_identity 
WHERE prices_identity.id = %(_id)s::UUID AND prices_identity.tenant_id = %(_t0)s::UUID ORDER BY prices_identity.id FOR UPDATE;
--   params: {'_id': UUID('00000000-0000-0000-0000-000000000007'), '_t0': UUID('00000000-0000-0000-0000-000000000ace')}
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.row_id, prices.valid_from, prices.valid_to 
FROM prices 
WHERE prices.id = %(_id)s::UUID AND prices.tenant_id = %(_t0)s::UUID AND prices.current_key = %(current_key_1)s::SMALLINT FOR UPDATE;
--   params: {'_id': UUID('00000000-0000-0000-0000-000000000007'), '_t0': UUID('00000000-0000-0000-0000-000000000ace'), 'current_key_1': 1}
UPDATE prices SET valid_to=%(_at)s::TIMESTAMP WITH TIME ZONE WHERE prices.tenant_id = %(_tenant)s::UUID AND prices.row_id = %(_row)s::BIGINT AND prices.valid_to IS NULL;
--   params: {'_at': datetime.datetime(2026, 1, 1, 0, 0, 0, 1, tzinfo=datetime.timezone.utc), '_tenant': UUID('00000000-0000-0000-0000-000000000ace'), '_row': 1}
INSERT INTO prices (id, tenant_id, sku, amount, counter, ref, effective, meta, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, valid_from, valid_to) VALUES (%(id)s::UUID, %(tenant_id)s::UUID, %(sku)s::VARCHAR, %(amount)s, %(counter)s::BIGINT, %(ref)s::UUID, %(effective)s::TIMESTAMP WITH TIME ZONE, %(meta)s::JSONB, %(version)s::BIGINT, %(created_at)s::TIMESTAMP WITH TIME ZONE, %(created_by)s::VARCHAR, %(updated_at)s::TIMESTAMP WITH TIME ZONE, %(updated_by)s::VARCHAR, %(deleted_at)s::TIMESTAMP WITH TIME ZONE, %(deleted_by)s::VARCHAR, %(valid_from)s::TIMESTAMP WITH TIME ZONE, %(valid_to)s::TIMESTAMP WITH TIME ZONE);
--   params: {'id': UUID('00000000-0000-0000-0000-000000000007'), 'tenant_id': UUID('00000000-0000-0000-0000-000000000ace'), 'sku': 'A1', 'amount': Decimal('9.99'), 'counter': 1, 'ref': None, 'effective': None, 'meta': Jsonb({}), 'version': 2, 'created_at': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0, 0, 1, tzinfo=datetime.timezone.utc), 'updated_by': 'alice', 'deleted_at': datetime.datetime(2026, 1, 1, 0, 0, 0, 1, tzinfo=datetime.timezone.utc), 'deleted_by': 'alice', 'valid_from': datetime.datetime(2026, 1, 1, 0, 0, 0, 1, tzinfo=datetime.timezone.utc), 'valid_to': None}
COMMIT;
--   params: ()
-- delete_many
BEGIN;
--   params: ()
SELECT prices_identity.id 
FROM prices_identity 
WHERE prices_identity.id IN (%(_k0)s::UUID, %(_k1)s::UUID) AND prices_identity.tenant_id = %(_t0)s::UUID ORDER BY prices_identity.id FOR UPDATE;
--   params: {'_k0': UUID('00000000-0000-0000-0000-000000000007'), '_k1': UUID('00000000-0000-0000-0000-000000000008'), '_t0': UUID('00000000-0000-0000-0000-000000000ace')}
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.row_id, prices.valid_from 
FROM prices 
WHERE prices.id IN (%(_k0)s::UUID, %(_k1)s::UUID) AND prices.tenant_id = %(_t0)s::UUID AND prices.current_key = %(current_key_1)s::SMALLINT FOR UPDATE;
--   params: {'_k0': UUID('00000000-0000-0000-0000-000000000007'), '_k1': UUID('00000000-0000-0000-0000-000000000008'), '_t0': UUID('00000000-0000-0000-0000-000000000ace'), 'current_key_1': 1}
UPDATE prices SET valid_to=%(_at)s::TIMESTAMP WITH TIME ZONE WHERE prices.tenant_id = %(_tenant)s::UUID AND prices.row_id = %(_row)s::BIGINT AND prices.valid_to IS NULL;
--   params: [{'_at': datetime.datetime(2026, 1, 1, 0, 0, 0, 1, tzinfo=datetime.timezone.utc), '_tenant': UUID('00000000-0000-0000-0000-000000000ace'), '_row': 1}, {'_at': datetime.datetime(2026, 1, 1, 0, 0, 0, 1, tzinfo=datetime.timezone.utc), '_tenant': UUID('00000000-0000-0000-0000-000000000ace'), '_row': 1}]
INSERT INTO prices (id, tenant_id, sku, amount, counter, ref, effective, meta, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, valid_from, valid_to) VALUES (%(id)s::UUID, %(tenant_id)s::UUID, %(sku)s::VARCHAR, %(amount)s, %(counter)s::BIGINT, %(ref)s::UUID, %(effective)s::TIMESTAMP WITH TIME ZONE, %(meta)s::JSONB, %(version)s::BIGINT, %(created_at)s::TIMESTAMP WITH TIME ZONE, %(created_by)s::VARCHAR, %(updated_at)s::TIMESTAMP WITH TIME ZONE, %(updated_by)s::VARCHAR, %(deleted_at)s::TIMESTAMP WITH TIME ZONE, %(deleted_by)s::VARCHAR, %(valid_from)s::TIMESTAMP WITH TIME ZONE, %(valid_to)s::TIMESTAMP WITH TIME ZONE);
--   params: [{'id': UUID('00000000-0000-0000-0000-000000000007'), 'tenant_id': UUID('00000000-0000-0000-0000-000000000ace'), 'sku': 'A1', 'amount': Decimal('9.99'), 'counter': 1, 'ref': None, 'effective': None, 'meta': Jsonb({}), 'version': 2, 'created_at': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0, 0, 1, tzinfo=datetime.timezone.utc), 'updated_by': 'alice', 'deleted_at': datetime.datetime(2026, 1, 1, 0, 0, 0, 1, tzinfo=datetime.timezone.utc), 'deleted_by': 'alice', 'valid_from': datetime.datetime(2026, 1, 1, 0, 0, 0, 1, tzinfo=datetime.timezone.utc), 'valid_to': None}, {'id': UUID('00000000-0000-0000-0000-000000000008'), 'tenant_id': UUID('00000000-0000-0000-0000-000000000ace'), 'sku': 'A2', 'amount': Decimal('9.99'), 'counter': 1, 'ref': None, 'effective': None, 'meta': Jsonb({}), 'version': 2, 'created_at': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0, 0, 1, tzinfo=datetime.timezone.utc), 'updated_by': 'alice', 'deleted_at': datetime.datetime(2026, 1, 1, 0, 0, 0, 1, tzinfo=datetime.timezone.utc), 'deleted_by': 'alice', 'valid_from': datetime.datetime(2026, 1, 1, 0, 0, 0, 1, tzinfo=datetime.timezone.utc), 'valid_to': None}]
COMMIT;
--   params: ()
-- restore
BEGIN;
--   params: ()
SELECT prices_identity.id 
FROM prices_identity 
WHERE prices_identity.id = %(_id)s::UUID AND prices_identity.tenant_id = %(_t0)s::UUID ORDER BY prices_identity.id FOR UPDATE;
--   params: {'_id': UUID('00000000-0000-0000-0000-000000000007'), '_t0': UUID('00000000-0000-0000-0000-000000000ace')}
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.row_id, prices.valid_from, prices.valid_to 
FROM prices 
WHERE prices.id = %(_id)s::UUID AND prices.tenant_id = %(_t0)s::UUID AND prices.current_key = %(current_key_1)s::SMALLINT FOR UPDATE;
--   params: {'_id': UUID('00000000-0000-0000-0000-000000000007'), '_t0': UUID('00000000-0000-0000-0000-000000000ace'), 'current_key_1': 1}
COMMIT;
--   params: ()
-- purge
BEGIN;
--   params: ()
DELETE FROM prices_identity WHERE prices_identity.id = %(_id)s::UUID AND prices_identity.tenant_id = %(_t0)s::UUID;
--   params: {'_id': UUID('00000000-0000-0000-0000-000000000007'), '_t0': UUID('00000000-0000-0000-0000-000000000ace')}
COMMIT;
--   params: ()
-- list
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by 
FROM prices 
WHERE prices.tenant_id = %(_t0)s::UUID AND prices.deleted_at IS NULL AND prices.current_key = %(current_key_1)s::SMALLINT AND prices.amount > %(p0)s ORDER BY prices.amount ASC, prices.id ASC 
 LIMIT %(_limit)s::BIGINT;
--   params: {'_t0': UUID('00000000-0000-0000-0000-000000000ace'), 'current_key_1': 1, 'p0': Decimal('1'), '_limit': 10}
-- count
SELECT count(*) AS count_1 
FROM prices 
WHERE prices.tenant_id = %(_t0)s::UUID AND prices.deleted_at IS NULL AND prices.current_key = %(current_key_1)s::SMALLINT;
--   params: {'_t0': UUID('00000000-0000-0000-0000-000000000ace'), 'current_key_1': 1}
-- exists
SELECT EXISTS (SELECT * 
FROM prices 
WHERE prices.tenant_id = %(_t0)s::UUID AND prices.deleted_at IS NULL AND prices.current_key = %(current_key_1)s::SMALLINT) AS anon_1;
--   params: {'_t0': UUID('00000000-0000-0000-0000-000000000ace'), 'current_key_1': 1}
-- history
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.valid_from, prices.valid_to, prices.recorded_as 
FROM prices 
WHERE prices.id = %(_id)s::UUID AND prices.tenant_id = %(_t0)s::UUID ORDER BY prices.version;
--   params: {'_id': UUID('00000000-0000-0000-0000-000000000007'), '_t0': UUID('00000000-0000-0000-0000-000000000ace')}
-- field_history
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.valid_from, prices.valid_to, prices.recorded_as 
FROM prices 
WHERE prices.id = %(_id)s::UUID AND prices.tenant_id = %(_t0)s::UUID ORDER BY prices.version;
--   params: {'_id': UUID('00000000-0000-0000-0000-000000000007'), '_t0': UUID('00000000-0000-0000-0000-000000000ace')}
-- changes
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.valid_from, prices.recorded_as, prev.row_id, prev.id AS id_1, prev.tenant_id AS tenant_id_1, prev.sku AS sku_1, prev.amount AS amount_1, prev.counter AS counter_1, prev.ref AS ref_1, prev.effective AS effective_1, prev.meta AS meta_1, prev.version AS version_1, prev.created_at AS created_at_1, prev.created_by AS created_by_1, prev.updated_at AS updated_at_1, prev.updated_by AS updated_by_1, prev.deleted_at AS deleted_at_1, prev.deleted_by AS deleted_by_1 
FROM prices LEFT OUTER JOIN prices AS prev ON prev.id = prices.id AND prev.version = prices.version - %(version_2)s::BIGINT 
WHERE prices.tenant_id = %(_t0)s::UUID AND prices.valid_from >= %(_since)s::TIMESTAMP WITH TIME ZONE AND prices.updated_by = %(_actor)s::VARCHAR ORDER BY prices.valid_from, prices.row_id 
 LIMIT %(_limit)s::INTEGER;
--   params: {'version_2': 1, '_t0': UUID('00000000-0000-0000-0000-000000000ace'), '_since': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), '_actor': 'alice', '_limit': 5}
-- prune_history
DELETE FROM prices WHERE prices.tenant_id = %(_t0)s::UUID AND prices.valid_to IS NOT NULL AND prices.valid_to < %(_before)s::TIMESTAMP WITH TIME ZONE;
--   params: {'_t0': UUID('00000000-0000-0000-0000-000000000ace'), '_before': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)}
-- upsert_many
BEGIN;
--   params: ()
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by 
FROM prices 
WHERE prices.id IN (%(_k0)s::UUID, %(_k1)s::UUID) AND prices.tenant_id = %(_t0)s::UUID AND prices.deleted_at IS NULL AND prices.current_key = %(current_key_1)s::SMALLINT FOR UPDATE;
--   params: {'_k0': UUID('00000000-0000-0000-0000-000000000007'), '_k1': UUID('00000000-0000-0000-0000-000000000009'), '_t0': UUID('00000000-0000-0000-0000-000000000ace'), 'current_key_1': 1}
SELECT prices_identity.id 
FROM prices_identity 
WHERE prices_identity.id IN (%(_k0)s::UUID) AND prices_identity.tenant_id = %(_t0)s::UUID ORDER BY prices_identity.id FOR UPDATE;
--   params: {'_k0': UUID('00000000-0000-0000-0000-000000000007'), '_t0': UUID('00000000-0000-0000-0000-000000000ace')}
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.row_id, prices.valid_from 
FROM prices 
WHERE prices.id IN (%(_k0)s::UUID) AND prices.tenant_id = %(_t0)s::UUID AND prices.deleted_at IS NULL AND prices.current_key = %(current_key_1)s::SMALLINT FOR UPDATE;
--   params: {'_k0': UUID('00000000-0000-0000-0000-000000000007'), '_t0': UUID('00000000-0000-0000-0000-000000000ace'), 'current_key_1': 1}
UPDATE prices SET valid_to=%(_at)s::TIMESTAMP WITH TIME ZONE WHERE prices.tenant_id = %(_tenant)s::UUID AND prices.row_id = %(_row)s::BIGINT AND prices.valid_to IS NULL;
--   params: {'_at': datetime.datetime(2026, 1, 1, 0, 0, 0, 1, tzinfo=datetime.timezone.utc), '_tenant': UUID('00000000-0000-0000-0000-000000000ace'), '_row': 1}
INSERT INTO prices (id, tenant_id, sku, amount, counter, ref, effective, meta, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, valid_from, valid_to) VALUES (%(id)s::UUID, %(tenant_id)s::UUID, %(sku)s::VARCHAR, %(amount)s, %(counter)s::BIGINT, %(ref)s::UUID, %(effective)s::TIMESTAMP WITH TIME ZONE, %(meta)s::JSONB, %(version)s::BIGINT, %(created_at)s::TIMESTAMP WITH TIME ZONE, %(created_by)s::VARCHAR, %(updated_at)s::TIMESTAMP WITH TIME ZONE, %(updated_by)s::VARCHAR, %(deleted_at)s::TIMESTAMP WITH TIME ZONE, %(deleted_by)s::VARCHAR, %(valid_from)s::TIMESTAMP WITH TIME ZONE, %(valid_to)s::TIMESTAMP WITH TIME ZONE);
--   params: {'id': UUID('00000000-0000-0000-0000-000000000007'), 'tenant_id': UUID('00000000-0000-0000-0000-000000000ace'), 'sku': 'B2-0', 'amount': Decimal('9.99'), 'counter': 1, 'ref': None, 'effective': None, 'meta': Jsonb({}), 'version': 2, 'created_at': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0, 0, 1, tzinfo=datetime.timezone.utc), 'updated_by': 'alice', 'deleted_at': None, 'deleted_by': None, 'valid_from': datetime.datetime(2026, 1, 1, 0, 0, 0, 1, tzinfo=datetime.timezone.utc), 'valid_to': None}
INSERT INTO prices_identity (id, tenant_id, created_at) VALUES (%(id)s::UUID, %(tenant_id)s::UUID, %(created_at)s::TIMESTAMP WITH TIME ZONE);
--   params: {'id': UUID('00000000-0000-0000-0000-000000000009'), 'tenant_id': UUID('00000000-0000-0000-0000-000000000ace'), 'created_at': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)}
INSERT INTO prices (id, tenant_id, sku, amount, counter, ref, effective, meta, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, valid_from, valid_to) VALUES (%(id)s::UUID, %(tenant_id)s::UUID, %(sku)s::VARCHAR, %(amount)s, %(counter)s::BIGINT, %(ref)s::UUID, %(effective)s::TIMESTAMP WITH TIME ZONE, %(meta)s::JSONB, %(version)s::BIGINT, %(created_at)s::TIMESTAMP WITH TIME ZONE, %(created_by)s::VARCHAR, %(updated_at)s::TIMESTAMP WITH TIME ZONE, %(updated_by)s::VARCHAR, %(deleted_at)s::TIMESTAMP WITH TIME ZONE, %(deleted_by)s::VARCHAR, %(valid_from)s::TIMESTAMP WITH TIME ZONE, %(valid_to)s::TIMESTAMP WITH TIME ZONE);
--   params: {'id': UUID('00000000-0000-0000-0000-000000000009'), 'tenant_id': UUID('00000000-0000-0000-0000-000000000ace'), 'sku': 'B2-1', 'amount': Decimal('9.99'), 'counter': 1, 'ref': None, 'effective': None, 'meta': Jsonb({}), 'version': 1, 'created_at': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), 'updated_by': 'alice', 'deleted_at': None, 'deleted_by': None, 'valid_from': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), 'valid_to': None}
COMMIT;
--   params: ()
-- get_as_of
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by 
FROM prices 
WHERE prices.id = %(_id)s::UUID AND prices.tenant_id = %(_t0)s::UUID AND prices.deleted_at IS NULL AND prices.valid_from <= %(_asof)s::TIMESTAMP WITH TIME ZONE AND (prices.valid_to IS NULL OR prices.valid_to > %(_asof)s::TIMESTAMP WITH TIME ZONE) ORDER BY prices.valid_from DESC 
 LIMIT 1;
--   params: {'_id': UUID('00000000-0000-0000-0000-000000000007'), '_t0': UUID('00000000-0000-0000-0000-000000000ace'), '_asof': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)}
-- versions
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.valid_from, prices.valid_to, prices.recorded_as 
FROM prices 
WHERE prices.id = %(_id)s::UUID AND prices.tenant_id = %(_t0)s::UUID ORDER BY prices.version;
--   params: {'_id': UUID('00000000-0000-0000-0000-000000000007'), '_t0': UUID('00000000-0000-0000-0000-000000000ace')}
-- compare_versions
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.valid_from, prices.valid_to, prices.recorded_as 
FROM prices 
WHERE prices.id = %(_id)s::UUID AND prices.tenant_id = %(_t0)s::UUID ORDER BY prices.version;
--   params: {'_id': UUID('00000000-0000-0000-0000-000000000007'), '_t0': UUID('00000000-0000-0000-0000-000000000ace')}
-- revert
SELECT prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by, prices.valid_from, prices.valid_to, prices.recorded_as 
FROM prices 
WHERE prices.id = %(_id)s::UUID AND prices.tenant_id = %(_t0)s::UUID ORDER BY prices.version;
--   params: {'_id': UUID('00000000-0000-0000-0000-000000000007'), '_t0': UUID('00000000-0000-0000-0000-000000000ace')}
BEGIN;
--   params: ()
UPDATE prices SET valid_to=%(_now)s::TIMESTAMP WITH TIME ZONE WHERE prices.id = (SELECT prices_identity.id 
FROM prices_identity 
WHERE prices_identity.id = %(_id)s::UUID AND prices_identity.tenant_id = %(_t0)s::UUID ORDER BY prices_identity.id FOR UPDATE) AND prices.id = %(_id)s::UUID AND prices.tenant_id = %(_t0)s::UUID AND prices.deleted_at IS NULL AND prices.current_key = %(current_key_1)s::SMALLINT AND prices.valid_from < %(_now)s::TIMESTAMP WITH TIME ZONE AND (prices.amount IS DISTINCT FROM %(v_amount)s OR prices.counter IS DISTINCT FROM %(v_counter)s::BIGINT OR prices.effective IS DISTINCT FROM %(v_effective)s::TIMESTAMP WITH TIME ZONE OR prices.meta IS DISTINCT FROM %(v_meta)s::JSONB OR prices.ref IS DISTINCT FROM %(v_ref)s::UUID OR prices.sku IS DISTINCT FROM %(v_sku)s::VARCHAR) RETURNING prices.id, prices.tenant_id, prices.sku, prices.amount, prices.counter, prices.ref, prices.effective, prices.meta, prices.version, prices.created_at, prices.created_by, prices.updated_at, prices.updated_by, prices.deleted_at, prices.deleted_by;
--   params: {'_now': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), '_id': UUID('00000000-0000-0000-0000-000000000007'), '_t0': UUID('00000000-0000-0000-0000-000000000ace'), 'current_key_1': 1, 'v_amount': Decimal('9.99'), 'v_counter': 1, 'v_effective': None, 'v_meta': Jsonb({}), 'v_ref': None, 'v_sku': 'A1'}
UPDATE prices SET valid_to=%(valid_to)s::TIMESTAMP WITH TIME ZONE WHERE prices.id = %(_id)s::UUID AND prices.valid_to = %(_now)s::TIMESTAMP WITH TIME ZONE AND prices.tenant_id = %(_t0)s::UUID;
--   params: {'valid_to': None, '_id': UUID('00000000-0000-0000-0000-000000000007'), '_now': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), '_t0': UUID('00000000-0000-0000-0000-000000000ace')}
COMMIT;
--   params: ()
