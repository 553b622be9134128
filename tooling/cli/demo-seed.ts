import { InvalidInputError } from '../../src/domain/index.ts';
import type { LegacyRegistry } from '../../src/source/mysql/index.ts';
import { isLoopback } from '../standin/config.ts';

/** MySQL's answers for a registry that was never created: no database, no table. */
const REGISTRY_NOT_CREATED = ['ER_BAD_DB_ERROR', 'ER_NO_SUCH_TABLE'];

/**
 * Whether the demo may be seeded: only on a server on this machine (a
 * loopback host: seeding drops and recreates databases), and only when the
 * registry answers that demo is not in it (or was never created), never
 * when it cannot be read (a {@link InvalidInputError}: nothing starts).
 *
 * @example
 * if (await demoMissing(registry, config.host, say)) await seedCustomer(pool, config, parseSeedOptions({ CUSTOMER: 'demo' }));
 */
export async function demoMissing(registry: Pick<LegacyRegistry, 'listCustomers'>, host: string, say: (line: string) => void): Promise<boolean> {
  let customers: string[];
  try {
    customers = await registry.listCustomers();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (!code || !REGISTRY_NOT_CREATED.includes(code)) {
      throw new InvalidInputError(
        `the legacy registry at ${host} could not be read (${code ?? (error as Error).message}): the demo is not seeded over a read error`,
        { input: 'LEGACY_DB_URL', issue: code ?? 'registry unreadable' },
      );
    }
    customers = [];
  }
  if (customers.includes('demo')) return false;
  if (isLoopback(host)) return true;
  say(
    `customer demo is not in the legacy registry at ${host}: the demo is seeded only on a server on this machine (127.0.0.1); make seed CUSTOMER=demo LEGACY_DB_URL=... seeds it there on purpose`,
  );
  return false;
}
