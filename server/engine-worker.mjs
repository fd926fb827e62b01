// Worker thread holding ONE HiGHS (WebAssembly) instance, reused for every model it is sent, one
// at a time, each solved by pricing (solver/model/priced-solve.ts); server/engine-workers.ts keeps
// it warm and retires it when its heap grows past a limit or after an error (an Aborted() leaves the
// instance unusable). In: {model, active, start, options}. Out, per solve: {type:'progress'} and
// {type:'incumbent', x}, then {type:'done', heapBytes} or {type:'error'}.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';
import highsLoader from 'highs';

register();
const { pricedSolve } = await import('../solver/model/priced-solve.ts');
const post = (m) => parentPort.postMessage(m);
// Loaded once; a load failure is reported to each request (the host then retires this worker).
const highs = await highsLoader().catch((err) => err);

parentPort.on('message', (input) => {
  try {
    if (highs instanceof Error) throw highs;
    const result = pricedSolve(highs, input, post);
    post({ type: 'done', ...result, heapBytes: highs.memoryBytes });
  } catch (err) {
    post({ type: 'error', message: String(err && err.message ? err.message : err) });
  }
});
