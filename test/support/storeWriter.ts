/**
 * A second process writing the stores, as another VS Code window's extension host does:
 * `node storeWriter.js <facts|connections> <file> <prefix> <count>` makes `count` changes, each written to
 * disk before the next (facts: `flush()` after each `set`), under ids `<prefix>-<n>`, and prints "done".
 * Started twice at once by test/unit/storeConcurrency.test.ts.
 */
import { ConnectionsFile } from '../../src/connections/connectionsFile';
import { FactsFile } from '../../src/connections/factsFile';
import { describeProblem } from '../../src/connections/storedFile';

async function main(): Promise<void> {
  const [kind, file, prefix, countText] = process.argv.slice(2);
  const count = Number(countText);
  const report = (problem: Parameters<typeof describeProblem>[0]) =>
    process.stderr.write(`${describeProblem(problem)}\n`);
  if (kind === 'facts') {
    const facts = new FactsFile(file, report);
    await facts.load();
    for (let n = 0; n < count; n++) {
      facts.set(`${prefix}-${n}`, { signedIn: true, account: `${prefix}@contoso.test` });
      await facts.flush();
    }
  } else {
    const connections = new ConnectionsFile(file, report);
    for (let n = 0; n < count; n++) {
      await connections.upsert({ id: `${prefix}-${n}`, name: `${prefix} ${n}` });
    }
  }
  process.stdout.write('done\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
