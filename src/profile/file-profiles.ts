import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CUSTOMER_KEY, ProfileError } from '../domain/index.ts';
import { resolveProfile } from './resolve-profile.ts';
import type { ResolvedProfile } from './types.ts';

/**
 * Customer profiles as JSON files in one folder (`profiles/<name>.json`).
 *
 * @example
 * const profiles = new FileProfiles('profiles');
 * const profile = profiles.resolve('acme'); // acme.json merged over what it extends (default.json unless it says), or default.json alone
 * profiles.load('default'); // the parsed file, or undefined when there is none
 */
export class FileProfiles {
  readonly #directory: string;

  /** @param directory the folder holding the profile files, e.g. the repository's `profiles/` */
  public constructor(directory: string) {
    this.#directory = directory;
  }

  /**
   * The parsed file of one profile, or undefined when there is no such file.
   * @throws ProfileError when the name is not a safe file name or the file is not JSON
   */
  public load(name: string): unknown {
    if (!CUSTOMER_KEY.test(name)) throw new ProfileError(`"${name}" is not a valid profile name`, { profile: name });
    const file = join(this.#directory, `${name}.json`);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new ProfileError(`cannot read ${file}: ${(error as Error).message}`, { profile: name }, { cause: error });
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new ProfileError(`${file} is not valid JSON: ${(error as Error).message}`, { profile: name }, { cause: error });
    }
  }

  /** The resolved profile of a customer (see {@link resolveProfile}). */
  public resolve(customer: string): ResolvedProfile {
    return resolveProfile(customer, (name) => this.load(name));
  }
}
