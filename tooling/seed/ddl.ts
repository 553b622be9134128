import { REGISTRY_DATABASE } from '../../src/source/index.ts';

// The legacy system enforces no foreign keys (orphans exist, docs/legacy-schema.md): reference
// columns only get plain indexes, which the engine's parent look-ups use.
const TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';

/** `CREATE DATABASE` for the registry, a no-op when it exists. */
export const REGISTRY_DATABASE_DDL = `CREATE DATABASE IF NOT EXISTS \`${REGISTRY_DATABASE}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`;

/** `fiberplan_registry.subprojects` (docs/legacy-schema.md, the registry), a no-op when it exists. */
export const REGISTRY_TABLE_DDL = `CREATE TABLE IF NOT EXISTS \`${REGISTRY_DATABASE}\`.subprojects (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  customer VARCHAR(64) NOT NULL,
  database_name VARCHAR(64) NOT NULL,
  label VARCHAR(255) NULL,
  active TINYINT(1) NOT NULL,
  UNIQUE KEY uq_subprojects_database_name (database_name),
  KEY ix_subprojects_customer (customer)
) ${TABLE_OPTIONS}`;

/** The tables of one sub-project database (docs/legacy-schema.md), unqualified: run them with that database selected. */
export const SUBPROJECT_TABLES_DDL: readonly string[] = [
  `CREATE TABLE settings (
  name VARCHAR(64) NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
) ${TABLE_OPTIONS}`,
  `CREATE TABLE projects (
  id INT UNSIGNED NOT NULL PRIMARY KEY,
  code VARCHAR(32) NOT NULL,
  name VARCHAR(255) NOT NULL,
  status VARCHAR(20) NOT NULL,
  municipality VARCHAR(100) NULL,
  start_date DATE NULL,
  end_date DATE NULL,
  updated_at DATETIME NOT NULL
) ${TABLE_OPTIONS}`,
  `CREATE TABLE addresses (
  id INT UNSIGNED NOT NULL PRIMARY KEY,
  project_id INT UNSIGNED NOT NULL,
  postcode VARCHAR(10) NOT NULL,
  house_number INT NOT NULL,
  house_letter VARCHAR(5) NULL,
  house_addition VARCHAR(10) NULL,
  street VARCHAR(255) NOT NULL,
  city VARCHAR(100) NOT NULL,
  latitude DECIMAL(10,7) NULL,
  longitude DECIMAL(10,7) NULL,
  kind VARCHAR(20) NOT NULL,
  status VARCHAR(20) NOT NULL,
  updated_at DATETIME NOT NULL,
  KEY ix_addresses_project_id (project_id)
) ${TABLE_OPTIONS}`,
  `CREATE TABLE contractors (
  id INT UNSIGNED NOT NULL PRIMARY KEY,
  name VARCHAR(255) NOT NULL,
  kvk_number VARCHAR(12) NULL,
  email VARCHAR(255) NULL,
  phone VARCHAR(32) NULL,
  updated_at DATETIME NOT NULL
) ${TABLE_OPTIONS}`,
  `CREATE TABLE assignments (
  id INT UNSIGNED NOT NULL PRIMARY KEY,
  address_id INT UNSIGNED NOT NULL,
  contractor_id INT UNSIGNED NULL,
  type VARCHAR(20) NOT NULL,
  status VARCHAR(20) NOT NULL,
  planned_date DATE NULL,
  completed_at DATETIME NULL,
  remarks TEXT NULL,
  updated_at DATETIME NOT NULL,
  KEY ix_assignments_address_id (address_id),
  KEY ix_assignments_contractor_id (contractor_id)
) ${TABLE_OPTIONS}`,
  `CREATE TABLE documents (
  id INT UNSIGNED NOT NULL PRIMARY KEY,
  assignment_id INT UNSIGNED NOT NULL,
  file_name VARCHAR(255) NOT NULL,
  mime_type VARCHAR(100) NOT NULL,
  size_bytes INT UNSIGNED NOT NULL,
  sha256 CHAR(64) NOT NULL,
  content LONGBLOB NOT NULL,
  created_at DATETIME NOT NULL,
  KEY ix_documents_assignment_id (assignment_id)
) ${TABLE_OPTIONS}`,
  `CREATE TABLE planboard_slots (
  id INT UNSIGNED NOT NULL PRIMARY KEY,
  assignment_id INT UNSIGNED NOT NULL,
  team VARCHAR(64) NOT NULL,
  starts_at DATETIME NOT NULL,
  ends_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL,
  KEY ix_planboard_slots_assignment_id (assignment_id)
) ${TABLE_OPTIONS}`,
];
