// Worker thread that runs one HiGHS (WebAssembly) solve of a full model by pricing
// (solver/model/priced-solve.ts). A fresh WASM instance per worker: its heap (≤ 2 GiB) dies
// with the thread. Messages out: {type:'progress'}, {type:'incumbent', x}, then {type:'done'}
// or {type:'error'}.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';
import highsLoader from 'highs';

register();
const { pricedSolve } = await import('../solver/model/priced-solve.ts');
const post = (m) => parentPort.postMessage(m);

try {
  const highs = await highsLoader();
  const result = pricedSolve(highs, workerData, post);
  post({ type: 'done', ...result });
} catch (err) {
  post({ type: 'error', message: String(err && err.message ? err.message : err) });
}
