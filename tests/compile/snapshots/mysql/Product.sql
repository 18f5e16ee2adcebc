-- create
INSERT INTO products (id, tenant_id, sku, name, price, stock, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by) VALUES (%(id)s, %(tenant_id)s, %(sku)s, %(name)s, %(price)s, %(stock)s, %(version)s, %(created_at)s, %(created_by)s, %(updated_at)s, %(updated_by)s, %(deleted_at)s, %(deleted_by)s);
--   params: {'id': '00000000000000000000000000000001', 'tenant_id': '00000000000000000000000000000ace', 'sku': 'B2-0', 'name': 'Bolt', 'price': Decimal('1.50'), 'stock': 1, 'version': 1, 'created_at': datetime.datetime(2026, 1, 1, 0, 0), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0), 'updated_by': 'alice', 'deleted_at': None, 'deleted_by': None}
-- create_many
BEGIN;
--   params: ()
INSERT INTO products (id, tenant_id, sku, name, price, stock, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by) VALUES (%(id)s, %(tenant_id)s, %(sku)s, %(name)s, %(price)s, %(stock)s, %(version)s, %(created_at)s, %(created_by)s, %(updated_at)s, %(updated_by)s, %(deleted_at)s, %(deleted_by)s);
--   params: [{'id': '00000000000000000000000000000001', 'tenant_id': '00000000000000000000000000000ace', 'sku': 'B2-0', 'name': 'Bolt', 'price': Decimal('1.50'), 'stock': 1, 'version': 1, 'created_at': datetime.datetime(2026, 1, 1, 0, 0), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0), 'updated_by': 'alice', 'deleted_at': None, 'deleted_by': None}, {'id': '00000000000000000000000000000002', 'tenant_id': '00000000000000000000000000000ace', 'sku': 'B2-1', 'name': 'Bolt', 'price': Decimal('1.50'), 'stock': 1, 'version': 1, 'created_at': datetime.datetime(2026, 1, 1, 0, 0), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0), 'updated_by': 'alice', 'deleted_at': None, 'deleted_by': None}, {'id': '00000000000000000000000000000003', 'tenant_id': '00000000000000000000000000000ace', 'sku': 'B2-2', 'name': 'Bolt', 'price': Decimal('1.50'), 'stock': 1, 'version': 1, 'created_at': datetime.datetime(2026, 1, 1, 0, 0), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0), 'updated_by': 'alice', 'deleted_at': None, 'deleted_by': None}]
COMMIT;
--   params: ()
-- get
SELECT products.id, products.tenant_id, products.sku, products.name, products.price, products.stock, products.version, products.created_at, products.created_by, products.updated_at, products.updated_by, products.deleted_at, products.deleted_by 
FROM products 
WHERE products.id = %(_id)s AND products.tenant_id = %(_t0)s AND products.deleted_at IS NULL;
--   params: {'_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
-- get_many
SELECT products.id, products.tenant_id, products.sku, products.name, products.price, products.stock, products.version, products.created_at, products.created_by, products.updated_at, products.updated_by, products.deleted_at, products.deleted_by 
FROM products 
WHERE products.id IN (%(_k0)s, %(_k1)s) AND products.tenant_id = %(_t0)s AND products.deleted_at IS NULL;
--   params: {'_k0': '00000000000000000000000000000007', '_k1': '00000000000000000000000000000008', '_t0': '00000000000000000000000000000ace'}
-- update
BEGIN;
--   params: ()
UPDATE products SET price=%(v_price)s, version=(products.version + %(version_1)s), updated_at=%(_now)s, updated_by=%(_actor)s WHERE products.id = %(_id)s AND products.tenant_id = %(_t0)s AND products.deleted_at IS NULL;
--   params: {'v_price': Decimal('2.00'), 'version_1': 1, '_now': datetime.datetime(2026, 1, 1, 0, 0), '_actor': 'alice', '_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
SELECT products.id, products.tenant_id, products.sku, products.name, products.price, products.stock, products.version, products.created_at, products.created_by, products.updated_at, products.updated_by, products.deleted_at, products.deleted_by 
FROM products 
WHERE products.id = %(_id)s AND products.tenant_id = %(_t0)s AND products.deleted_at IS NULL;
--   params: {'_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
COMMIT;
--   params: ()
-- update_many
BEGIN;
--   params: ()
SELECT products.id, products.tenant_id, products.sku, products.name, products.price, products.stock, products.version, products.created_at, products.created_by, products.updated_at, products.updated_by, products.deleted_at, products.deleted_by 
FROM products 
WHERE products.id IN (%(_k0)s) AND products.tenant_id = %(_t0)s AND products.deleted_at IS NULL FOR UPDATE;
--   params: {'_k0': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
UPDATE products SET price=%(v_price)s, version=(products.version + %(version_1)s), updated_at=%(_now)s, updated_by=%(_actor)s WHERE products.id = %(_id)s AND products.tenant_id = %(_t0)s AND products.deleted_at IS NULL;
--   params: {'v_price': Decimal('3.00'), 'version_1': 1, '_now': datetime.datetime(2026, 1, 1, 0, 0), '_actor': 'alice', '_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
COMMIT;
--   params: ()
-- delete
UPDATE products SET version=(products.version + %(version_1)s), deleted_at=%(_now)s, deleted_by=%(_actor)s WHERE products.id = %(_id)s AND products.tenant_id = %(_t0)s AND products.deleted_at IS NULL;
--   params: {'version_1': 1, '_now': datetime.datetime(2026, 1, 1, 0, 0), '_actor': 'alice', '_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
-- delete_many
BEGIN;
--   params: ()
SELECT products.id, products.tenant_id, products.sku, products.name, products.price, products.stock, products.version, products.created_at, products.created_by, products.updated_at, products.updated_by, products.deleted_at, products.deleted_by 
FROM products 
WHERE products.id IN (%(_k0)s, %(_k1)s) AND products.tenant_id = %(_t0)s FOR UPDATE;
--   params: {'_k0': '00000000000000000000000000000007', '_k1': '00000000000000000000000000000008', '_t0': '00000000000000000000000000000ace'}
UPDATE products SET version=(products.version + %(version_1)s), deleted_at=%(_now)s, deleted_by=%(_actor)s WHERE products.id = %(_id)s AND products.tenant_id = %(_t0)s AND products.deleted_at IS NULL;
--   params: [{'version_1': 1, '_now': datetime.datetime(2026, 1, 1, 0, 0), '_actor': 'alice', '_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}, {'version_1': 1, '_now': datetime.datetime(2026, 1, 1, 0, 0), '_actor': 'alice', '_id': '00000000000000000000000000000008', '_t0': '00000000000000000000000000000ace'}]
COMMIT;
--   params: ()
-- restore
BEGIN;
--   params: ()
UPDATE products SET version=(products.version + %(version_1)s), updated_at=%(_now)s, updated_by=%(_actor)s, deleted_at=%(deleted_at)s, deleted_by=%(deleted_by)s WHERE products.id = %(_id)s AND products.tenant_id = %(_t0)s AND products.deleted_at IS NOT NULL;
--   params: {'version_1': 1, '_now': datetime.datetime(2026, 1, 1, 0, 0), '_actor': 'alice', 'deleted_at': None, 'deleted_by': None, '_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
SELECT products.id, products.tenant_id, products.sku, products.name, products.price, products.stock, products.version, products.created_at, products.created_by, products.updated_at, products.updated_by, products.deleted_at, products.deleted_by 
FROM products 
WHERE products.id = %(_id)s AND products.tenant_id = %(_t0)s AND products.deleted_at IS NULL;
--   params: {'_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
COMMIT;
--   params: ()
-- purge
DELETE FROM products WHERE products.id = %(_id)s AND products.tenant_id = %(_t0)s;
--   params: {'_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
-- list
SELECT products.id, products.tenant_id, products.sku, products.name, products.price, products.stock, products.version, products.created_at, products.created_by, products.updated_at, products.updated_by, products.deleted_at, products.deleted_by 
FROM products 
WHERE products.tenant_id = %(_t0)s AND products.deleted_at IS NULL AND products.price > %(p0)s ORDER BY products.price ASC, products.id ASC 
 LIMIT %(_limit)s;
--   params: {'_t0': '00000000000000000000000000000ace', 'p0': Decimal('1'), '_limit': 10}
-- count
SELECT count(*) AS count_1 
FROM products 
WHERE products.tenant_id = %(_t0)s AND products.deleted_at IS NULL;
--   params: {'_t0': '00000000000000000000000000000ace'}
-- exists
SELECT EXISTS (SELECT * 
FROM products 
WHERE products.tenant_id = %(_t0)s AND products.deleted_at IS NULL) AS anon_1;
--   params: {'_t0': '00000000000000000000000000000ace'}
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
WHERE products.id IN (%(_k0)s, %(_k1)s) AND products.tenant_id = %(_t0)s AND products.deleted_at IS NULL FOR UPDATE;
--   params: {'_k0': '00000000000000000000000000000007', '_k1': '00000000000000000000000000000009', '_t0': '00000000000000000000000000000ace'}
SELECT products.id, products.tenant_id, products.sku, products.name, products.price, products.stock, products.version, products.created_at, products.created_by, products.updated_at, products.updated_by, products.deleted_at, products.deleted_by 
FROM products 
WHERE products.id IN (%(_k0)s) AND products.tenant_id = %(_t0)s AND products.deleted_at IS NULL FOR UPDATE;
--   params: {'_k0': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
UPDATE products SET sku=%(v_sku)s, name=%(v_name)s, price=%(v_price)s, stock=%(v_stock)s, version=(products.version + %(version_1)s), updated_at=%(_now)s, updated_by=%(_actor)s WHERE products.id = %(_id)s AND products.tenant_id = %(_t0)s AND products.deleted_at IS NULL;
--   params: {'v_sku': 'B2-0', 'v_name': 'Bolt', 'v_price': Decimal('1.50'), 'v_stock': 1, 'version_1': 1, '_now': datetime.datetime(2026, 1, 1, 0, 0), '_actor': 'alice', '_id': '00000000000000000000000000000007', '_t0': '00000000000000000000000000000ace'}
INSERT INTO products (id, tenant_id, sku, name, price, stock, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by) VALUES (%(id)s, %(tenant_id)s, %(sku)s, %(name)s, %(price)s, %(stock)s, %(version)s, %(created_at)s, %(created_by)s, %(updated_at)s, %(updated_by)s, %(deleted_at)s, %(deleted_by)s);
--   params: {'id': '00000000000000000000000000000009', 'tenant_id': '00000000000000000000000000000ace', 'sku': 'B2-1', 'name': 'Bolt', 'price': Decimal('1.50'), 'stock': 1, 'version': 1, 'created_at': datetime.datetime(2026, 1, 1, 0, 0), 'created_by': 'alice', 'updated_at': datetime.datetime(2026, 1, 1, 0, 0), 'updated_by': 'alice', 'deleted_at': None, 'deleted_by': None}
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
