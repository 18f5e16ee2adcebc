-- create
INSERT INTO products (id, tenant_id, sku, name, price, stock, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by) VALUES (%(id)s::UUID, %(tenant_id)s::UUID, %(sku)s::VARCHAR, %(name)s::VARCHAR, %(price)s, %(stock)s::BIGINT, %(version)s::BIGINT, %(created_at)s::TIMESTAMP WITH TIME ZONE, %(created_by)s::VARCHAR, %(updated_at)s::TIMESTAMP WITH TIME ZONE, %(updated_by)s::VARCHAR, %(deleted_at)s::TIMESTAMP WITH TIME ZONE, %(deleted_by)s::VARCHAR);
--   params: {'id': UUID('00000000-0000-0000-0000-000000000001'), 'tenant_id': UUID('00000000-0000-0000-0000-000000000ace'), 'sku': 'B2-0', 'name': 'Bolt', 'price': Decimal('1.50'), 'stock': 1, 'version': 1, 'created_at': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), 'updated_by': 'alice', 'deleted_at': None, 'deleted_by': None}
-- create_many
BEGIN;
--   params: ()
INSERT INTO products (id, tenant_id, sku, name, price, stock, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by) VALUES (%(id)s::UUID, %(tenant_id)s::UUID, %(sku)s::VARCHAR, %(name)s::VARCHAR, %(price)s, %(stock)s::BIGINT, %(version)s::BIGINT, %(created_at)s::TIMESTAMP WITH TIME ZONE, %(created_by)s::VARCHAR, %(updated_at)s::TIMESTAMP WITH TIME ZONE, %(updated_by)s::VARCHAR, %(deleted_at)s::TIMESTAMP WITH TIME ZONE, %(deleted_by)s::VARCHAR);
--   params: [{'id': UUID('00000000-0000-0000-0000-000000000001'), 'tenant_id': UUID('00000000-0000-0000-0000-000000000ace'), 'sku': 'B2-0', 'name': 'Bolt', 'price': Decimal('1.50'), 'stock': 1, 'version': 1, 'created_at': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), 'updated_by': 'alice', 'deleted_at': None, 'deleted_by': None}, {'id': UUID('00000000-0000-0000-0000-000000000002'), 'tenant_id': UUID('00000000-0000-0000-0000-000000000ace'), 'sku': 'B2-1', 'name': 'Bolt', 'price': Decimal('1.50'), 'stock': 1, 'version': 1, 'created_at': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), 'updated_by': 'alice', 'deleted_at': None, 'deleted_by': None}, {'id': UUID('00000000-0000-0000-0000-000000000003'), 'tenant_id': UUID('00000000-0000-0000-0000-000000000ace'), 'sku': 'B2-2', 'name': 'Bolt', 'price': Decimal('1.50'), 'stock': 1, 'version': 1, 'created_at': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), 'updated_by': 'alice', 'deleted_at': None, 'deleted_by': None}]
COMMIT;
--   params: ()
-- get
SELECT products.id, products.tenant_id, products.sku, products.name, products.price, products.stock, products.version, products.created_at, products.created_by, products.updated_at, products.updated_by, products.deleted_at, products.deleted_by 
FROM products 
WHERE products.id = %(_id)s::UUID AND products.tenant_id = %(_t0)s::UUID AND products.deleted_at IS NULL;
--   params: {'_id': UUID('00000000-0000-0000-0000-000000000007'), '_t0': UUID('00000000-0000-0000-0000-000000000ace')}
-- get_many
SELECT products.id, products.tenant_id, products.sku, products.name, products.price, products.stock, products.version, products.created_at, products.created_by, products.updated_at, products.updated_by, products.deleted_at, products.deleted_by 
FROM products 
WHERE products.id IN (%(_k0)s::UUID, %(_k1)s::UUID) AND products.tenant_id = %(_t0)s::UUID AND products.deleted_at IS NULL;
--   params: {'_k0': UUID('00000000-0000-0000-0000-000000000007'), '_k1': UUID('00000000-0000-0000-0000-000000000008'), '_t0': UUID('00000000-0000-0000-0000-000000000ace')}
-- update
UPDATE products SET price=%(v_price)s, version=(products.version + %(version_1)s::BIGINT), updated_at=%(_now)s::TIMESTAMP WITH TIME ZONE, updated_by=%(_actor)s::VARCHAR WHERE products.id = %(_id)s::UUID AND products.tenant_id = %(_t0)s::UUID AND products.deleted_at IS NULL RETURNING products.id, products.tenant_id, products.sku, products.name, products.price, products.stock, products.version, products.created_at, products.created_by, products.updated_at, products.updated_by, products.deleted_at, products.deleted_by;
--   params: {'v_price': Decimal('2.00'), 'version_1': 1, '_now': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), '_actor': 'alice', '_id': UUID('00000000-0000-0000-0000-000000000007'), '_t0': UUID('00000000-0000-0000-0000-000000000ace')}
-- update_many
BEGIN;
--   params: ()
SELECT products.id, products.tenant_id, products.sku, products.name, products.price, products.stock, products.version, products.created_at, products.created_by, products.updated_at, products.updated_by, products.deleted_at, products.deleted_by 
FROM products 
WHERE products.id IN (%(_k0)s::UUID) AND products.tenant_id = %(_t0)s::UUID AND products.deleted_at IS NULL FOR UPDATE;
--   params: {'_k0': UUID('00000000-0000-0000-0000-000000000007'), '_t0': UUID('00000000-0000-0000-0000-000000000ace')}
UPDATE products SET price=%(v_price)s, version=(products.version + %(version_1)s::BIGINT), updated_at=%(_now)s::TIMESTAMP WITH TIME ZONE, updated_by=%(_actor)s::VARCHAR WHERE products.id = %(_id)s::UUID AND products.tenant_id = %(_t0)s::UUID AND products.deleted_at IS NULL;
--   params: {'v_price': Decimal('3.00'), 'version_1': 1, '_now': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), '_actor': 'alice', '_id': UUID('00000000-0000-0000-0000-000000000007'), '_t0': UUID('00000000-0000-0000-0000-000000000ace')}
COMMIT;
--   params: ()
-- delete
UPDATE products SET version=(products.version + %(version_1)s::BIGINT), deleted_at=%(_now)s::TIMESTAMP WITH TIME ZONE, deleted_by=%(_actor)s::VARCHAR WHERE products.id = %(_id)s::UUID AND products.tenant_id = %(_t0)s::UUID AND products.deleted_at IS NULL;
--   params: {'version_1': 1, '_now': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), '_actor': 'alice', '_id': UUID('00000000-0000-0000-0000-000000000007'), '_t0': UUID('00000000-0000-0000-0000-000000000ace')}
-- delete_many
BEGIN;
--   params: ()
SELECT products.id, products.tenant_id, products.sku, products.name, products.price, products.stock, products.version, products.created_at, products.created_by, products.updated_at, products.updated_by, products.deleted_at, products.deleted_by 
FROM products 
WHERE products.id IN (%(_k0)s::UUID, %(_k1)s::UUID) AND products.tenant_id = %(_t0)s::UUID FOR UPDATE;
--   params: {'_k0': UUID('00000000-0000-0000-0000-000000000007'), '_k1': UUID('00000000-0000-0000-0000-000000000008'), '_t0': UUID('00000000-0000-0000-0000-000000000ace')}
UPDATE products SET version=(products.version + %(version_1)s::BIGINT), deleted_at=%(_now)s::TIMESTAMP WITH TIME ZONE, deleted_by=%(_actor)s::VARCHAR WHERE products.id = %(_id)s::UUID AND products.tenant_id = %(_t0)s::UUID AND products.deleted_at IS NULL;
--   params: [{'version_1': 1, '_now': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), '_actor': 'alice', '_id': UUID('00000000-0000-0000-0000-000000000007'), '_t0': UUID('00000000-0000-0000-0000-000000000ace')}, {'version_1': 1, '_now': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), '_actor': 'alice', '_id': UUID('00000000-0000-0000-0000-000000000008'), '_t0': UUID('00000000-0000-0000-0000-000000000ace')}]
COMMIT;
--   params: ()
-- restore
UPDATE products SET version=(products.version + %(version_1)s::BIGINT), updated_at=%(_now)s::TIMESTAMP WITH TIME ZONE, updated_by=%(_actor)s::VARCHAR, deleted_at=%(deleted_at)s::TIMESTAMP WITH TIME ZONE, deleted_by=%(deleted_by)s::VARCHAR WHERE products.id = %(_id)s::UUID AND products.tenant_id = %(_t0)s::UUID AND products.deleted_at IS NOT NULL RETURNING products.id, products.tenant_id, products.sku, products.name, products.price, products.stock, products.version, products.created_at, products.created_by, products.updated_at, products.updated_by, products.deleted_at, products.deleted_by;
--   params: {'version_1': 1, '_now': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), '_actor': 'alice', 'deleted_at': None, 'deleted_by': None, '_id': UUID('00000000-0000-0000-0000-000000000007'), '_t0': UUID('00000000-0000-0000-0000-000000000ace')}
-- purge
DELETE FROM products WHERE products.id = %(_id)s::UUID AND products.tenant_id = %(_t0)s::UUID;
--   params: {'_id': UUID('00000000-0000-0000-0000-000000000007'), '_t0': UUID('00000000-0000-0000-0000-000000000ace')}
-- list
SELECT products.id, products.tenant_id, products.sku, products.name, products.price, products.stock, products.version, products.created_at, products.created_by, products.updated_at, products.updated_by, products.deleted_at, products.deleted_by 
FROM products 
WHERE products.tenant_id = %(_t0)s::UUID AND products.deleted_at IS NULL AND products.price > %(p0)s ORDER BY products.price ASC, products.id ASC 
 LIMIT %(_limit)s::BIGINT;
--   params: {'_t0': UUID('00000000-0000-0000-0000-000000000ace'), 'p0': Decimal('1'), '_limit': 10}
-- count
SELECT count(*) AS count_1 
FROM products 
WHERE products.tenant_id = %(_t0)s::UUID AND products.deleted_at IS NULL;
--   params: {'_t0': UUID('00000000-0000-0000-0000-000000000ace')}
-- exists
SELECT EXISTS (SELECT * 
FROM products 
WHERE products.tenant_id = %(_t0)s::UUID AND products.deleted_at IS NULL) AS anon_1;
--   params: {'_t0': UUID('00000000-0000-0000-0000-000000000ace')}
-- history
-- raises ConfigurationError
-- field_history
-- raises ConfigurationError
-- changes
-- raises ConfigurationError
-- prune_history
-- raises ConfigurationError
-- upsert_many
BEGIN;
--   params: ()
SELECT products.id, products.tenant_id, products.sku, products.name, products.price, products.stock, products.version, products.created_at, products.created_by, products.updated_at, products.updated_by, products.deleted_at, products.deleted_by 
FROM products 
WHERE products.id IN (%(_k0)s::UUID, %(_k1)s::UUID) AND products.tenant_id = %(_t0)s::UUID AND products.deleted_at IS NULL FOR UPDATE;
--   params: {'_k0': UUID('00000000-0000-0000-0000-000000000007'), '_k1': UUID('00000000-0000-0000-0000-000000000009'), '_t0': UUID('00000000-0000-0000-0000-000000000ace')}
SELECT products.id, products.tenant_id, products.sku, products.name, products.price, products.stock, products.version, products.created_at, products.created_by, products.updated_at, products.updated_by, products.deleted_at, products.deleted_by 
FROM products 
WHERE products.id IN (%(_k0)s::UUID) AND products.tenant_id = %(_t0)s::UUID AND products.deleted_at IS NULL FOR UPDATE;
--   params: {'_k0': UUID('00000000-0000-0000-0000-000000000007'), '_t0': UUID('00000000-0000-0000-0000-000000000ace')}
UPDATE products SET sku=%(v_sku)s::VARCHAR, name=%(v_name)s::VARCHAR, price=%(v_price)s, stock=%(v_stock)s::BIGINT, version=(products.version + %(version_1)s::BIGINT), updated_at=%(_now)s::TIMESTAMP WITH TIME ZONE, updated_by=%(_actor)s::VARCHAR WHERE products.id = %(_id)s::UUID AND products.tenant_id = %(_t0)s::UUID AND products.deleted_at IS NULL;
--   params: {'v_sku': 'B2-0', 'v_name': 'Bolt', 'v_price': Decimal('1.50'), 'v_stock': 1, 'version_1': 1, '_now': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), '_actor': 'alice', '_id': UUID('00000000-0000-0000-0000-000000000007'), '_t0': UUID('00000000-0000-0000-0000-000000000ace')}
INSERT INTO products (id, tenant_id, sku, name, price, stock, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by) VALUES (%(id)s::UUID, %(tenant_id)s::UUID, %(sku)s::VARCHAR, %(name)s::VARCHAR, %(price)s, %(stock)s::BIGINT, %(version)s::BIGINT, %(created_at)s::TIMESTAMP WITH TIME ZONE, %(created_by)s::VARCHAR, %(updated_at)s::TIMESTAMP WITH TIME ZONE, %(updated_by)s::VARCHAR, %(deleted_at)s::TIMESTAMP WITH TIME ZONE, %(deleted_by)s::VARCHAR);
--   params: {'id': UUID('00000000-0000-0000-0000-000000000009'), 'tenant_id': UUID('00000000-0000-0000-0000-000000000ace'), 'sku': 'B2-1', 'name': 'Bolt', 'price': Decimal('1.50'), 'stock': 1, 'version': 1, 'created_at': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), 'updated_by': 'alice', 'deleted_at': None, 'deleted_by': None}
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
