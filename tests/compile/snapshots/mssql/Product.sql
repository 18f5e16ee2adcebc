-- create
INSERT INTO products (id, tenant_id, sku, name, price, stock, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: [UUID('00000000-0000-0000-0000-000000000001'), UUID('00000000-0000-0000-0000-000000000ace'), 'B2-0', 'Bolt', Decimal('1.50'), 1, 1, '2026-01-01 00:00:00.000000+00:00', 'alice', '2026-01-01 00:00:00.000000+00:00', 'alice', None, None]
-- create_many
BEGIN;
--   params: ()
INSERT INTO products (id, tenant_id, sku, name, price, stock, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: [[UUID('00000000-0000-0000-0000-000000000001'), UUID('00000000-0000-0000-0000-000000000ace'), 'B2-0', 'Bolt', Decimal('1.50'), 1, 1, '2026-01-01 00:00:00.000000+00:00', 'alice', '2026-01-01 00:00:00.000000+00:00', 'alice', None, None], [UUID('00000000-0000-0000-0000-000000000002'), UUID('00000000-0000-0000-0000-000000000ace'), 'B2-1', 'Bolt', Decimal('1.50'), 1, 1, '2026-01-01 00:00:00.000000+00:00', 'alice', '2026-01-01 00:00:00.000000+00:00', 'alice', None, None], [UUID('00000000-0000-0000-0000-000000000003'), UUID('00000000-0000-0000-0000-000000000ace'), 'B2-2', 'Bolt', Decimal('1.50'), 1, 1, '2026-01-01 00:00:00.000000+00:00', 'alice', '2026-01-01 00:00:00.000000+00:00', 'alice', None, None]]
COMMIT;
--   params: ()
-- get
SELECT products.id, products.tenant_id, products.sku, products.name, products.price, products.stock, products.version, products.created_at, products.created_by, products.updated_at, products.updated_by, products.deleted_at, products.deleted_by 
FROM products 
WHERE products.id = ? AND products.tenant_id = ? AND products.deleted_at IS NULL;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'))
-- get_many
SELECT products.id, products.tenant_id, products.sku, products.name, products.price, products.stock, products.version, products.created_at, products.created_by, products.updated_at, products.updated_by, products.deleted_at, products.deleted_by 
FROM products 
WHERE products.id IN (?, ?) AND products.tenant_id = ? AND products.deleted_at IS NULL;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000008'), UUID('00000000-0000-0000-0000-000000000ace'))
-- update
UPDATE products SET price=?, version=(products.version + ?), updated_at=?, updated_by=? OUTPUT inserted.id, inserted.tenant_id, inserted.sku, inserted.name, inserted.price, inserted.stock, inserted.version, inserted.created_at, inserted.created_by, inserted.updated_at, inserted.updated_by, inserted.deleted_at, inserted.deleted_by WHERE products.id = ? AND products.tenant_id = ? AND products.deleted_at IS NULL;
--   params: [Decimal('2.00'), 1, '2026-01-01 00:00:00.000000+00:00', 'alice', UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace')]
-- update_many
BEGIN;
--   params: ()
SELECT products.id, products.tenant_id, products.sku, products.name, products.price, products.stock, products.version, products.created_at, products.created_by, products.updated_at, products.updated_by, products.deleted_at, products.deleted_by 
FROM products 
WHERE products.id IN (?) AND products.tenant_id = ? AND products.deleted_at IS NULL;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'))
UPDATE products SET price=?, version=(products.version + ?), updated_at=?, updated_by=? WHERE products.id = ? AND products.tenant_id = ? AND products.deleted_at IS NULL;
--   params: [Decimal('3.00'), 1, '2026-01-01 00:00:00.000000+00:00', 'alice', UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace')]
COMMIT;
--   params: ()
-- delete
UPDATE products SET version=(products.version + ?), deleted_at=?, deleted_by=? WHERE products.id = ? AND products.tenant_id = ? AND products.deleted_at IS NULL;
--   params: [1, '2026-01-01 00:00:00.000000+00:00', 'alice', UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace')]
-- delete_many
BEGIN;
--   params: ()
SELECT products.id, products.tenant_id, products.sku, products.name, products.price, products.stock, products.version, products.created_at, products.created_by, products.updated_at, products.updated_by, products.deleted_at, products.deleted_by 
FROM products 
WHERE products.id IN (?, ?) AND products.tenant_id = ?;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000008'), UUID('00000000-0000-0000-0000-000000000ace'))
UPDATE products SET version=(products.version + ?), deleted_at=?, deleted_by=? WHERE products.id = ? AND products.tenant_id = ? AND products.deleted_at IS NULL;
--   params: [[1, '2026-01-01 00:00:00.000000+00:00', 'alice', UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace')], [1, '2026-01-01 00:00:00.000000+00:00', 'alice', UUID('00000000-0000-0000-0000-000000000008'), UUID('00000000-0000-0000-0000-000000000ace')]]
COMMIT;
--   params: ()
-- restore
UPDATE products SET version=(products.version + ?), updated_at=?, updated_by=?, deleted_at=?, deleted_by=? OUTPUT inserted.id, inserted.tenant_id, inserted.sku, inserted.name, inserted.price, inserted.stock, inserted.version, inserted.created_at, inserted.created_by, inserted.updated_at, inserted.updated_by, inserted.deleted_at, inserted.deleted_by WHERE products.id = ? AND products.tenant_id = ? AND products.deleted_at IS NOT NULL;
--   params: [1, '2026-01-01 00:00:00.000000+00:00', 'alice', None, None, UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace')]
-- purge
DELETE FROM products WHERE products.id = ? AND products.tenant_id = ?;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'))
-- list
SELECT anon_1.id, anon_1.tenant_id, anon_1.sku, anon_1.name, anon_1.price, anon_1.stock, anon_1.version, anon_1.created_at, anon_1.created_by, anon_1.updated_at, anon_1.updated_by, anon_1.deleted_at, anon_1.deleted_by 
FROM (SELECT products.id AS id, products.tenant_id AS tenant_id, products.sku AS sku, products.name AS name, products.price AS price, products.stock AS stock, products.version AS version, products.created_at AS created_at, products.created_by AS created_by, products.updated_at AS updated_at, products.updated_by AS updated_by, products.deleted_at AS deleted_at, products.deleted_by AS deleted_by, ROW_NUMBER() OVER (ORDER BY products.price ASC, products.id ASC) AS mssql_rn 
FROM products 
WHERE products.tenant_id = ? AND products.deleted_at IS NULL AND products.price > ?) AS anon_1 
WHERE mssql_rn <= ?;
--   params: [UUID('00000000-0000-0000-0000-000000000ace'), Decimal('1'), 10]
-- count
SELECT count(*) AS count_1 
FROM products 
WHERE products.tenant_id = ? AND products.deleted_at IS NULL;
--   params: (UUID('00000000-0000-0000-0000-000000000ace'),)
-- exists
SELECT EXISTS (SELECT * 
FROM products 
WHERE products.tenant_id = ? AND products.deleted_at IS NULL) AS anon_1;
--   params: (UUID('00000000-0000-0000-0000-000000000ace'),)
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
WHERE products.id IN (?, ?) AND products.tenant_id = ? AND products.deleted_at IS NULL;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000009'), UUID('00000000-0000-0000-0000-000000000ace'))
SELECT products.id, products.tenant_id, products.sku, products.name, products.price, products.stock, products.version, products.created_at, products.created_by, products.updated_at, products.updated_by, products.deleted_at, products.deleted_by 
FROM products 
WHERE products.id IN (?) AND products.tenant_id = ? AND products.deleted_at IS NULL;
--   params: (UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace'))
UPDATE products SET sku=?, name=?, price=?, stock=?, version=(products.version + ?), updated_at=?, updated_by=? WHERE products.id = ? AND products.tenant_id = ? AND products.deleted_at IS NULL;
--   params: ['B2-0', 'Bolt', Decimal('1.50'), 1, 1, '2026-01-01 00:00:00.000000+00:00', 'alice', UUID('00000000-0000-0000-0000-000000000007'), UUID('00000000-0000-0000-0000-000000000ace')]
INSERT INTO products (id, tenant_id, sku, name, price, stock, version, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
--   params: [UUID('00000000-0000-0000-0000-000000000009'), UUID('00000000-0000-0000-0000-000000000ace'), 'B2-1', 'Bolt', Decimal('1.50'), 1, 1, '2026-01-01 00:00:00.000000+00:00', 'alice', '2026-01-01 00:00:00.000000+00:00', 'alice', None, None]
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
