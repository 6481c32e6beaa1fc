/**
 * The packaged extension: built with scripts/package.mjs (exactly what `npm run package` runs) and
 * installed with code-server's own `--install-extension` into the test's extensions folder, before the
 * server starts.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, importScript } from './driver';

export interface BuiltVsix {
  file: string;
  bytes: number;
  seconds: number;
}

function runNode(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b) => (output += b));
    child.stderr.on('data', (b) => (output += b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/**
 * Runs scripts/package.mjs (production bundle, vsce, content check) into `file`. Fails with the script's
 * output when packaging fails. The production bundle replaces dist/; when dist/ held a development
 * build before (it has source maps), that build is made again afterwards, so the checkout is left as found.
 */
export async function buildVsix(file: string): Promise<BuiltVsix> {
  const started = Date.now();
  const hadDevBuild = existsSync(path.join(ROOT, 'dist', 'extension.js.map'));
  mkdirSync(path.dirname(file), { recursive: true });
  const result = await runNode([path.join(ROOT, 'scripts', 'package.mjs'), '--out', file]);
  try {
    if (result.code !== 0 || !existsSync(file)) {
      throw new Error(`npm run package failed (exit ${result.code}):\n${result.output}`);
    }
  } finally {
    if (hadDevBuild) {
      const rebuild = await runNode([path.join(ROOT, 'esbuild.mjs')]);
      // eslint-disable-next-line no-unsafe-finally -- a missing development bundle would fail every later test: say so first
      if (rebuild.code !== 0) throw new Error(`restoring the development bundle failed:\n${rebuild.output}`);
    }
  }
  return { file, bytes: statSync(file).size, seconds: (Date.now() - started) / 1000 };
}

interface InstallModule {
  ensureCodeServer(o?: { log?: (line: string) => void }): Promise<{ bin: string }>;
}

/**
 * `code-server --install-extension <vsix> --extensions-dir <dir>` with the test's own user data and
 * config (nothing is written under ~). Returns the installed extension's folder.
 */
export async function installVsix(vsix: string, sandboxDir: string): Promise<string> {
  const { ensureCodeServer } = await importScript<InstallModule>('scripts/codeServer/install.mjs');
  const { bin } = await ensureCodeServer({ log: (l) => console.log(`[code-server install] ${l}`) });
  const extensionsDir = path.join(sandboxDir, 'extensions');
  const userDataDir = path.join(sandboxDir, 'user-data');
  const scratch = path.join(sandboxDir, 'install-cli');
  mkdirSync(scratch, { recursive: true });
  const config = path.join(scratch, 'config.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_DATA_HOME: scratch,
    XDG_CONFIG_HOME: scratch,
    EXTENSIONS_GALLERY: '{}',
  };
  for (const key of Object.keys(env)) {
    // Inside a VS Code terminal VSCODE_IPC_HOOK_CLI would hand the request to that VS Code instead.
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') delete env[key];
  }
  const r = spawnSync(
    bin,
    [
      '--config',
      config,
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      '--install-extension',
      vsix,
    ],
    {
      env,
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`code-server --install-extension failed (exit ${r.status ?? r.signal}):\n${output}`);
  }
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    publisher: string;
    name: string;
    version: string;
  };
  const folder = path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  if (
    !existsSync(path.join(folder, 'dist', 'extension.js')) ||
    !existsSync(path.join(folder, 'dist', 'webview', 'form.js'))
  ) {
    throw new Error(`the extension was not installed where expected: ${folder}\n${output}`);
  }
  return folder;
}
