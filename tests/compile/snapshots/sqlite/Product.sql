-- create
INSERT INTO products (id, tenant_id, sku, name, price, stock, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: ['00000000000000000000000000000001', '00000000000000000000000000000ace', 'B2-0', 'Bolt', 150, 1, 1, '2026-01-01 00:00:00.000000', 'alice', '2026-01-01 00:00:00.000000', 'alice', None, None]
-- create_many
BEGIN IMMEDIATE;
--   params: ()
INSERT INTO products (id, tenant_id, sku, name, price, stock, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: [['00000000000000000000000000000001', '00000000000000000000000000000ace', 'B2-0', 'Bolt', 150, 1, 1, '2026-01-01 00:00:00.000000', 'alice', '2026-01-01 00:00:00.000000', 'alice', None, None], ['00000000000000000000000000000002', '00000000000000000000000000000ace', 'B2-1', 'Bolt', 150, 1, 1, '2026-01-01 00:00:00.000000', 'alice', '2026-01-01 00:00:00.000000', 'alice', None, None], ['00000000000000000000000000000003', '00000000000000000000000000000ace', 'B2-2', 'Bolt', 150, 1, 1, '2026-01-01 00:00:00.000000', 'alice', '2026-01-01 00:00:00.000000', 'alice', None, None]]
COMMIT;
--   params: ()
-- get
SELECT products.id, products.tenant_id, products.sku, products.name, products.price, products.stock, products.version, products.created_at, products.created_by, products.updated_at, products.updated_by, products.deleted_at, products.deleted_by 
FROM products 
WHERE products.id = ? AND products.tenant_id = ? AND products.deleted_at IS NULL;
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000ace']
-- get_many
SELECT products.id, products.tenant_id, products.sku, products.name, products.price, products.stock, products.version, products.created_at, products.created_by, products.updated_at, products.updated_by, products.deleted_at, products.deleted_by 
FROM products 
WHERE products.id IN (?, ?) AND +products.tenant_id = ? AND products.deleted_at IS NULL;
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000008', '00000000000000000000000000000ace']
-- update
UPDATE products SET price=?, version=(products.version + ?), updated_at=?, updated_by=? WHERE products.id = ? AND products.tenant_id = ? AND products.deleted_at IS NULL RETURNING id, tenant_id, sku, name, price, stock, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by;
--   params: [200, 1, '2026-01-01 00:00:00.000000', 'alice', '00000000000000000000000000000007', '00000000000000000000000000000ace']
-- update_many
BEGIN IMMEDIATE;
--   params: ()
SELECT products.id, products.tenant_id, products.sku, products.name, products.price, products.stock, products.version, products.created_at, products.created_by, products.updated_at, products.updated_by, products.deleted_at, products.deleted_by 
FROM products 
WHERE products.id IN (?) AND +products.tenant_id = ? AND products.deleted_at IS NULL;
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000ace']
UPDATE products SET price=?, version=(products.version + ?), updated_at=?, updated_by=? WHERE products.id = ? AND products.tenant_id = ? AND products.deleted_at IS NULL;
--   params: [300, 1, '2026-01-01 00:00:00.000000', 'alice', '00000000000000000000000000000007', '00000000000000000000000000000ace']
COMMIT;
--   params: ()
-- delete
UPDATE products SET version=(products.version + ?), deleted_at=?, deleted_by=? WHERE products.id = ? AND products.tenant_id = ? AND products.deleted_at IS NULL;
--   params: [1, '2026-01-01 00:00:00.000000', 'alice', '00000000000000000000000000000007', '00000000000000000000000000000ace']
-- delete_many
BEGIN IMMEDIATE;
--   params: ()
SELECT products.id, products.tenant_id, products.sku, products.name, products.price, products.stock, products.version, products.created_at, products.created_by, products.updated_at, products.updated_by, products.deleted_at, products.deleted_by 
FROM products 
WHERE products.id IN (?, ?) AND +products.tenant_id = ?;
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000008', '00000000000000000000000000000ace']
UPDATE products SET version=(products.version + ?), deleted_at=?, deleted_by=? WHERE products.id = ? AND products.tenant_id = ? AND products.deleted_at IS NULL;
--   params: [[1, '2026-01-01 00:00:00.000000', 'alice', '00000000000000000000000000000007', '00000000000000000000000000000ace'], [1, '2026-01-01 00:00:00.000000', 'alice', '00000000000000000000000000000008', '00000000000000000000000000000ace']]
COMMIT;
--   params: ()
-- restore
UPDATE products SET version=(products.version + ?), updated_at=?, updated_by=?, deleted_at=?, deleted_by=? WHERE products.id = ? AND products.tenant_id = ? AND products.deleted_at IS NOT NULL RETURNING id, tenant_id, sku, name, price, stock, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by;
--   params: [1, '2026-01-01 00:00:00.000000', 'alice', None, None, '00000000000000000000000000000007', '00000000000000000000000000000ace']
-- purge
DELETE FROM products WHERE products.id = ? AND products.tenant_id = ?;
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000ace']
-- list
SELECT products.id, products.tenant_id, products.sku, products.name, products.price, products.stock, products.version, products.created_at, products.created_by, products.updated_at, products.updated_by, products.deleted_at, products.deleted_by 
FROM products 
WHERE products.tenant_id = ? AND products.deleted_at IS NULL AND products.price > ? ORDER BY products.price ASC, products.id ASC
 LIMIT ? OFFSET ?;
--   params: ['00000000000000000000000000000ace', 100, 10, 0]
-- count
SELECT count(*) AS count_1 
FROM products 
WHERE products.tenant_id = ? AND products.deleted_at IS NULL;
--   params: ['00000000000000000000000000000ace']
-- exists
SELECT EXISTS (SELECT * 
FROM products 
WHERE products.tenant_id = ? AND products.deleted_at IS NULL) AS anon_1;
--   params: ['00000000000000000000000000000ace']
-- history
-- raises ConfigurationError
-- field_history
-- raises ConfigurationError
-- changes
-- raises ConfigurationError
-- prune_history
-- raises ConfigurationError
-- upsert_many
BEGIN IMMEDIATE;
--   params: ()
SELECT products.id, products.tenant_id, products.sku, products.name, products.price, products.stock, products.version, products.created_at, products.created_by, products.updated_at, products.updated_by, products.deleted_at, products.deleted_by 
FROM products 
WHERE products.id IN (?, ?) AND +products.tenant_id = ? AND products.deleted_at IS NULL;
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000009', '00000000000000000000000000000ace']
SELECT products.id, products.tenant_id, products.sku, products.name, products.price, products.stock, products.version, products.created_at, products.created_by, products.updated_at, products.updated_by, products.deleted_at, products.deleted_by 
FROM products 
WHERE products.id IN (?) AND +products.tenant_id = ? AND products.deleted_at IS NULL;
--   params: ['00000000000000000000000000000007', '00000000000000000000000000000ace']
UPDATE products SET sku=?, name=?, price=?, stock=?, version=(products.version + ?), updated_at=?, updated_by=? WHERE products.id = ? AND products.tenant_id = ? AND products.deleted_at IS NULL;
--   params: ['B2-0', 'Bolt', 150, 1, 1, '2026-01-01 00:00:00.000000', 'alice', '00000000000000000000000000000007', '00000000000000000000000000000ace']
INSERT INTO products (id, tenant_id, sku, name, price, stock, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: ['00000000000000000000000000000009', '00000000000000000000000000000ace', 'B2-1', 'Bolt', 150, 1, 1, '2026-01-01 00:00:00.000000', 'alice', '2026-01-01 00:00:00.000000', 'alice', None, None]
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
