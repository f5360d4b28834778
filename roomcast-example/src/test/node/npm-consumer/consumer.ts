// Type-checked (tsc --noEmit, strict) against the package's roomcast.d.ts: what a TypeScript
// consumer writes compiles, and a wrong use does not (the @ts-expect-error lines must be errors).
import {
  connect,
  backoffDelay,
  RoomcastClient,
  type OpenDetail,
  type RoomMessage,
  type ClientOptions,
} from 'roomcast';

const options: ClientOptions = { maxDelayMs: 10_000, offlineQueueSize: 10, connectTimeoutMs: 5000 };
const client: RoomcastClient = connect('wss://chat.example.com/ws', 'lobby', options);
client.on('open', (w: OpenDetail) => {
  const caughtUp: boolean | undefined = w.recovered;
  console.log(w.clientId, caughtUp, w.position?.offset);
});
client.on('message', (m: RoomMessage) => {
  const offset: number | undefined = m.offset;
  console.log(m.client_id, offset, m.content);
});
client.on('reconnecting', (r) => console.log(r.attempt, r.delayMs, r.code, r.reason));
client.on('close', (e) => console.log(e.code, e.reason));
const retried: boolean = client.retryNow();
console.log(retried);
const queued: boolean = client.send({ text: 'hi' });
const delay: number | null = backoffDelay(2);
console.log(queued, delay, client.state, client.position, client.queued);

client.on('presence', (p) => console.log(p.members.map((m) => m.name ?? m.user ?? m.client_id)));
const asked: boolean = client.requestPresence();
console.log(asked, client.members.length);
// @ts-expect-error: not an event the client fires
client.on('nosuchevent', () => {});
// @ts-expect-error: the room is required
connect('wss://chat.example.com');
