import { it } from 'vitest';
import { startStack } from '../harness/index.js';
it('close timing', async () => {
  const t0 = performance.now();
  const stack = await startStack({ server: { return_async: 'false' } });
  const t1 = performance.now();
  const r = await stack.post('/push', { 'app-id': 'com.pushwire.sandbox.sylk.dev', platform: 'firebase', token: 'x', event: 'message', 'call-id': 'p1', from: 'a@b', to: 'c@d', 'media-type': 'chat', silent: true });
  await stack.sandbox.fcm.waitForRequests(1, 10000);
  const t2 = performance.now();
  const w = stack.workers[0]!.stop().then((c) => console.log('worker exit', c, performance.now() - t2));
  const i = stack.ingest.stop().then((c) => console.log('ingest exit', c, performance.now() - t2));
  await Promise.all([w, i]);
  await stack.close();
  console.log({ start: t1 - t0, status: r.status, close: performance.now() - t2 });
  console.log(stack.workers[0]!.output().split('\n').slice(-5).join('\n'));
});
