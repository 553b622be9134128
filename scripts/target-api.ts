// Starts the FiberConnect stand-in from the environment (PORT, FIBERCONNECT_*; see tooling/standin/config.ts).
import { loadConfig } from '../tooling/standin/config.ts';
import { ConfigError } from '../tooling/standin/errors.ts';
import { startStandin } from '../tooling/standin/server.ts';

try {
  const config = loadConfig(process.env);
  const standin = await startStandin(config);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the FiberConnect stand-in`);
    standin.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  // Handlers first: whoever waits for the URL line may signal right after reading it.
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  console.log(`FiberConnect stand-in listening on ${standin.url} (data: ${config.dataPath})`);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `FiberConnect stand-in failed to start: ${String(error)}`);
  process.exit(1);
}
