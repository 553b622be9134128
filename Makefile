# Every target runs on the project's pinned Node 22 (npm package node@22): its bin folder comes first on PATH.
SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)

LEGACY_DB_URL ?= mysql://root@127.0.0.1:3306
export LEGACY_DB_URL

.PHONY: install build typecheck lint test test-unit test-integration seed target-api migrate bench clean

# npm ci only when the lock file is newer than the last install: keeps repeated make calls fast.
node_modules/.install-stamp: package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

install: node_modules/.install-stamp

build: install
	tsx scripts/build.ts

typecheck: install
	tsc -p tsconfig.json

lint: install
	eslint .

test-unit: install
	mocha 'test/unit/**/*.test.ts'

test-integration: install
	mocha 'test/integration/**/*.test.ts'

test: install typecheck lint test-unit build test-integration

seed: install
	tsx scripts/seed.ts

target-api: install
	tsx scripts/target-api.ts

migrate: install
	tsx scripts/migrate.ts

clean:
	rm -rf dist .local reports
