#!/usr/bin/env bash
# `make test-localstack`: the end-to-end suite against the same Terraform applied to LocalStack.
# Needs a Docker engine and a terraform binary (neither exists on the machines this project is
# developed on: there `make test` runs the suite on the embedded local runtime instead).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v docker >/dev/null || { echo "test-localstack: docker is not installed"; exit 2; }
docker info >/dev/null 2>&1 || { echo "test-localstack: no Docker engine is running"; exit 2; }
command -v terraform >/dev/null || { echo "test-localstack: terraform is not installed"; exit 2; }

stage=localstack
customers=(e2eclean e2efaults e2efail e2everify)
tokens="{$(for c in "${customers[@]}"; do printf '"%s"="%s-token",' "$c" "$c"; done | sed 's/,$//')}"

cleanup() {
  [ -n "${standin_pid:-}" ] && kill "$standin_pid" 2>/dev/null || true
  docker compose -f docker-compose.localstack.yml down -v
}
trap cleanup EXIT

docker compose -f docker-compose.localstack.yml up -d --wait
make build

# The FiberConnect stand-in runs on the host; Lambdas in LocalStack reach it as host.docker.internal.
mkdir -p .local/localstack
FIBERCONNECT_TOKENS="$(IFS=,; for c in "${customers[@]}"; do printf '%s:%s-token,' "$c" "$c"; done | sed 's/,$//')" \
  HOST=0.0.0.0 PORT=4010 FIBERCONNECT_DATA=.local/localstack/fiberconnect.sqlite FIBERCONNECT_JOB_DELAY_MS=500 \
  tsx scripts/target-api.ts > .local/localstack/standin.log 2>&1 &
standin_pid=$!

export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=eu-west-1 AWS_DEFAULT_REGION=eu-west-1
terraform -chdir=terraform/environments/localstack init -input=false
terraform -chdir=terraform/environments/localstack apply -input=false -auto-approve \
  -var "fiberconnect_tokens=${tokens}" \
  -var "fiberconnect_url=http://host.docker.internal:4010" \
  -var "legacy_db_url=mysql://root@mysql:3306"

# The same suite as `make test-e2e`; only the runtime differs. The CLI finds the stack in
# LocalStack's Parameter Store (/fiberplan-migration/localstack/stack) through AWS_ENDPOINT_URL.
AWS_ENDPOINT_URL=http://localhost:4566 E2E_STAGE="$stage" E2E_TARGET_URL=http://127.0.0.1:4010 \
  LEGACY_DB_URL=mysql://root@127.0.0.1:3307 \
  mocha --timeout 1800000 'test/e2e/**/*.test.ts'
