import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import dynalite from 'dynalite';
import { closeLevelIteratorsOnReturn } from './level-iterators.ts';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { DEFAULT_DATA_DIR, DEFAULT_DYNALITE_PORT, DEFAULT_FAUXQS_PORT, LOCAL_HOST, LOCAL_REGION } from './constants.ts';
import { DataDirInUseError, NotOnLoopbackError, PortInUseError } from './errors.ts';
import { resolveLocalhostSubdomains } from './localhost-dns.ts';
import { InvalidInputError } from '../../src/domain/index.ts';
import type { EmulatorEndpoints, EmulatorOptions } from './types.ts';

const LOCK_FILE = 'runtime.lock';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims the data directory with a pid file: one runtime per directory,
 * across processes and within this one (two dynalite servers on one LevelDB
 * path crash the host). A lock left by a dead process is taken over.
 */
function acquireLock(dataDir: string): string {
  const lockPath = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return lockPath;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
        throw new DataDirInUseError(`data directory ${dataDir} is in use by process ${pid}`, { dataDir, pid });
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new DataDirInUseError(`could not lock data directory ${dataDir}`, { dataDir, pid: 0 });
}

/**
 * Fails with {@link PortInUseError} when the port is taken, before an
 * emulator opens its store: a failed listen would leave LevelDB or SQLite open.
 * Probes the loopback address the emulators listen on (Linux refuses it also
 * when another process holds the port on the wildcard address).
 */
async function assertPortFree(service: string, port: number): Promise<void> {
  await new Promise<void>((done, fail) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      fail(
        error.code === 'EADDRINUSE' ? new PortInUseError(`${service} port ${port} is in use (is another local runtime running?)`, { service, port }) : error,
      );
    });
    probe.listen({ port, host: LOCAL_HOST, exclusive: true }, () => probe.close(() => done()));
  });
}

function checkPort(service: string, port: number): void {
  if (!Number.isInteger(port) || port <= 0 || port > 65_535) {
    throw new InvalidInputError(`${service} port must be a fixed port between 1 and 65535, got ${port}`, { input: `${service}Port`, issue: 'invalid' });
  }
}

/**
 * Stops a fauxqs that listens anywhere but on {@link LOCAL_HOST}: upstream
 * fauxqs binds 0.0.0.0, unauthenticated, and only patches/fauxqs+2.4.1.patch
 * (applied by `npm ci`'s postinstall) makes it take `listenHost`. A fauxqs
 * installed without the patch must not serve legacy data to the network.
 */
async function assertLoopback(fauxqs: FauxqsServer): Promise<void> {
  const host = new URL(fauxqs.address).hostname;
  if (host === LOCAL_HOST) return;
  await fauxqs.stop();
  throw new NotOnLoopbackError(
    `fauxqs listens on ${host}, not ${LOCAL_HOST}: its patch was not applied (run make install, which runs npm ci and patch-package)`,
    { service: 'fauxqs', host },
  );
}

async function listen(server: Server, port: number): Promise<void> {
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, LOCAL_HOST, () => {
      server.off('error', fail);
      done();
    });
  });
}

async function closeServer(server: Server): Promise<void> {
  await new Promise<void>((done, fail) => server.close((error) => (error ? fail(error) : done())));
}

/**
 * dynalite (DynamoDB) and fauxqs (SQS + S3) running in this process, with
 * their state under one data directory so a restart finds it again.
 * While started, `*.localhost` resolves to 127.0.0.1 in this process (see
 * localhost-dns.ts): the SQS endpoint is the origin of fauxqs' queue URLs.
 *
 * @example
 * const emulators = await LocalEmulators.start({ dataDir: '.local/runtime' });
 * // emulators.endpoints: dynamodb http://127.0.0.1:47561, sqs http://sqs.eu-west-1.localhost:47560, s3 http://127.0.0.1:47560
 * await emulators.close();
 */
export class LocalEmulators {
  /** Where each service answers. */
  public readonly endpoints: EmulatorEndpoints;
  /** Absolute path of the data directory. */
  public readonly dataDir: string;
  /** The fauxqs server, for direct inspection (inspectQueue) in tests and tools. */
  public readonly fauxqs: FauxqsServer;
  readonly #dynalite: Server;
  readonly #lockPath: string;
  readonly #releaseDns: () => void;
  #closed = false;

  private constructor(dataDir: string, lockPath: string, dynaliteServer: Server, fauxqs: FauxqsServer, ports: { dynalite: number; fauxqs: number }) {
    this.dataDir = dataDir;
    this.#lockPath = lockPath;
    this.#dynalite = dynaliteServer;
    this.fauxqs = fauxqs;
    this.#releaseDns = resolveLocalhostSubdomains();
    this.endpoints = {
      dynamodb: `http://${LOCAL_HOST}:${ports.dynalite}`,
      // The origin of fauxqs' queue URLs: see localhost-dns.ts.
      sqs: `http://sqs.${LOCAL_REGION}.localhost:${ports.fauxqs}`,
      // An IP host makes the S3 client use path-style requests: see runtime-env.ts.
      s3: `http://${LOCAL_HOST}:${ports.fauxqs}`,
    };
  }

  /**
   * Starts both emulators. Fails with {@link DataDirInUseError} when another
   * runtime serves the same data directory and {@link PortInUseError} when a
   * port is taken.
   */
  public static async start(options: EmulatorOptions = {}): Promise<LocalEmulators> {
    const dataDir = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
    const ports = { dynalite: options.dynalitePort ?? DEFAULT_DYNALITE_PORT, fauxqs: options.fauxqsPort ?? DEFAULT_FAUXQS_PORT };
    checkPort('dynalite', ports.dynalite);
    checkPort('fauxqs', ports.fauxqs);
    mkdirSync(dataDir, { recursive: true });
    const lockPath = acquireLock(dataDir);
    let dynaliteServer: Server | undefined;
    try {
      await assertPortFree('dynalite', ports.dynalite);
      await assertPortFree('fauxqs', ports.fauxqs);
      closeLevelIteratorsOnReturn();
      // Tables become ACTIVE at once: nothing local waits for provisioning.
      dynaliteServer = dynalite({ path: join(dataDir, 'dynamodb'), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
      const timeline = options.timeline;
      if (timeline) {
        dynaliteServer.on('request', (request: IncomingMessage, response: ServerResponse) => {
          const done = timeline.start(
            'dynamodb',
            String(request.headers['x-amz-target'] ?? 'unknown')
              .split('.')
              .at(-1)!,
          );
          response.on('close', done);
        });
      }
      await listen(dynaliteServer, ports.dynalite);
      const sqsDir = join(dataDir, 'sqs');
      const s3Dir = join(dataDir, 's3');
      mkdirSync(sqsDir, { recursive: true });
      mkdirSync(s3Dir, { recursive: true });
      const fauxqs = await startFauxqs({
        port: ports.fauxqs,
        listenHost: LOCAL_HOST,
        logger: false,
        defaultRegion: LOCAL_REGION,
        dataDir: sqsDir,
        s3StorageDir: s3Dir,
      });
      await assertLoopback(fauxqs);
      return new LocalEmulators(dataDir, lockPath, dynaliteServer, fauxqs, ports);
    } catch (error) {
      if (dynaliteServer?.listening) await closeServer(dynaliteServer);
      rmSync(lockPath, { force: true });
      throw error;
    }
  }

  /** Stops both emulators (state is flushed to the data directory) and releases the directory. */
  public async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await Promise.all([this.fauxqs.stop(), closeServer(this.#dynalite)]);
    } finally {
      this.#releaseDns();
      rmSync(this.#lockPath, { force: true });
    }
  }
}
