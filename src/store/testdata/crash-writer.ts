// Child process for store-crash.test.ts: writes objects one by one into the database named in
// argv[2] and prints "ok <i>" after each create returned; the parent SIGKILLs it mid-stream.
import { Store } from '../store.ts';

const store = Store.open(process.argv[2]!);
for (let i = 0; i < 1_000_000; i++) {
  store.create(`/core/configmaps/default/cm-${i}`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: 'default' }, data: { i: String(i) } });
  process.stdout.write(`ok ${i}\n`);
}
