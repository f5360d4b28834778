// Runs roomcast.js' backoffDelay with the random numbers and settings JUnit passes in, so the test
// can compare it with dev.roomcast.BackoffPolicy for the same inputs.
// usage: node backoff-parity.mjs <cases.json>
//   cases.json: [{"options": {...} | null, "attempts": [1, 2, ...], "randoms": [0.73, ...]}]
// prints: RESULT {"ok": true, "delays": [[...], ...]}  (null where the policy gives up)
import { readFileSync } from 'node:fs';
import { backoffDelay, DEFAULTS } from './roomcast.mjs';

try {
  const cases = JSON.parse(readFileSync(process.argv[2], 'utf8'));
  const delays = cases.map((c) => {
    const randoms = c.randoms.slice();
    const random = () => randoms.shift();
    return c.attempts.map((a) =>
      c.options ? backoffDelay(a, random, c.options) : backoffDelay(a, random));
  });
  console.log('RESULT ' + JSON.stringify({ ok: true, delays, defaults: DEFAULTS }));
} catch (e) {
  console.log('RESULT ' + JSON.stringify({ ok: false, error: String(e && e.stack || e) }));
  process.exitCode = 1;
}
