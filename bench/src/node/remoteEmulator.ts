/** The client side of bench/src/node/emulatorProcess.ts: the emulator in a child process, over IPC. */
import { fork, type ChildProcess } from 'node:child_process';

export class RemoteEmulator {
  #next = 1;
  readonly #pending = new Map<number, (m: { result?: unknown; error?: string }) => void>();
  loginEndpoint = '';
  graphEndpoint = '';

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: { id?: number; result?: unknown; error?: string }) => {
      if (m.id !== undefined) {
        this.#pending.get(m.id)?.(m);
        this.#pending.delete(m.id);
      }
    });
  }

  static start(script: string): Promise<RemoteEmulator> {
    const child = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const emulator = new RemoteEmulator(child);
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`emulator exited (${code})`)));
      child.on('message', (m: { ready?: boolean; loginEndpoint: string; graphEndpoint: string }) => {
        if (m.ready) {
          emulator.loginEndpoint = m.loginEndpoint;
          emulator.graphEndpoint = m.graphEndpoint;
          resolve(emulator);
        }
      });
    });
  }

  call<T = unknown>(cmd: string, ...args: unknown[]): Promise<T> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, (m) => (m.error ? reject(new Error(m.error)) : resolve(m.result as T)));
      this.child.send({ id, cmd, args });
    });
  }

  tokenRequests(): Promise<number> {
    return this.call<number>('countTokenRequests');
  }

  async stop(): Promise<void> {
    await this.call('stop').catch(() => undefined);
    this.child.kill();
  }
}
