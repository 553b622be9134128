import { createInterface } from 'node:readline';

/** What Ctrl-C during a followed run leads to. */
export type InterruptChoice = 'stop' | 'detach' | 'continue';

/** How the CLI talks to the person who pressed Ctrl-C; injected, so tests answer for them. */
export interface InterruptIo {
  /** The command runs in a terminal: the person is asked. */
  tty: boolean;
  /** The run lives in this process (the embedded runtime): it cannot go on without it, so there is no detaching. */
  local: boolean;
  ask(question: string): Promise<string>;
  say(line: string): void;
  /** Leaves at once (the third Ctrl-C). */
  exit(code: number): void;
}

const STAGE_QUESTION =
  "\nCtrl-C: [s]top the run (its execution is stopped and the target's workflows and e-mail restored), [d]etach (it goes on without this terminal), or anything else to go on watching? ";
const LOCAL_QUESTION =
  "\nCtrl-C: [s]top the run (its execution is stopped and the target's workflows and e-mail restored), or anything else to go on watching? The local runtime lives in this process: the run cannot go on without it. ";

/**
 * The choice after one Ctrl-C. In a terminal the person is asked. Without
 * one (a CI job being cancelled) a run on a stage is left running
 * (detached: it goes on in AWS, and the CLI says how to follow or stop it),
 * and a run on the embedded runtime is stopped with its target restored:
 * it would die with this process and leave the target switched off.
 */
export async function chooseOnInterrupt(io: InterruptIo): Promise<InterruptChoice> {
  if (!io.tty) return io.local ? 'stop' : 'detach';
  const answer = (await io.ask(io.local ? LOCAL_QUESTION : STAGE_QUESTION)).trim().toLowerCase();
  if (answer.startsWith('s')) return 'stop';
  if (!io.local && answer.startsWith('d')) return 'detach';
  return 'continue';
}

/** How many Ctrl-C make the CLI leave at once, whatever it is doing. */
const INTERRUPTS_TO_LEAVE = 3;

/**
 * Catches Ctrl-C (SIGINT) while a run is followed and turns each into a
 * {@link InterruptChoice}, which the follow loop picks up at its next look.
 *
 * @example
 * const watch = new InterruptWatch(terminalIo(false, say));
 * watch.listen();
 * try { ...; if (watch.take() === 'stop') ... } finally { watch.close(); }
 */
export class InterruptWatch {
  private questionOpen = false;
  private decided: InterruptChoice | undefined;
  private interrupts = 0;
  private readonly onSignal = (): void => void this.interrupted();

  public constructor(private readonly io: InterruptIo) {}

  public listen(): void {
    process.on('SIGINT', this.onSignal);
  }

  public close(): void {
    process.off('SIGINT', this.onSignal);
  }

  /** A question is on the terminal: progress lines would write over it. */
  public get asking(): boolean {
    return this.questionOpen;
  }

  /** The choice of the last Ctrl-C, once made; undefined when none came (or it is still being asked). */
  public take(): InterruptChoice | undefined {
    const choice = this.decided;
    this.decided = undefined;
    return choice;
  }

  /** One Ctrl-C: asks (unless it is asking already); the third leaves at once. */
  public async interrupted(): Promise<void> {
    this.interrupts += 1;
    if (this.interrupts >= INTERRUPTS_TO_LEAVE) {
      this.io.say('Ctrl-C three times: leaving now. The run may still be going; make stop CUSTOMER=... stops it and restores the target.');
      this.io.exit(130);
      return;
    }
    if (this.questionOpen) return;
    this.questionOpen = true;
    try {
      this.decided = await chooseOnInterrupt(this.io);
    } finally {
      this.questionOpen = false;
    }
  }
}

/** The terminal of this process as an {@link InterruptIo}. */
export function terminalIo(local: boolean, say: (line: string) => void): InterruptIo {
  return {
    tty: process.stdin.isTTY === true,
    local,
    say,
    exit: (code) => process.exit(code),
    ask: (question) =>
      new Promise((resolve) => {
        const readline = createInterface({ input: process.stdin, output: process.stdout });
        // Ctrl-C at the question itself: go on watching.
        readline.on('SIGINT', () => {
          readline.close();
          resolve('');
        });
        readline.question(question, (answer) => {
          readline.close();
          resolve(answer);
        });
      }),
  };
}
