// The Node example from docs/clients.md, run against a server: roomcast.js with the `ws` package.
// usage: node node-client.mjs <ws base url> <room>
// prints: RESULT {"ok": true, "welcome": ..., "echo": ...}
import WebSocket from 'ws';
import { connect } from './roomcast.mjs';

const [url, room] = process.argv.slice(2);
const timer = setTimeout(() => {
  console.log('RESULT ' + JSON.stringify({ ok: false, error: 'timed out' }));
  process.exit(3);
}, 20000);

const client = connect(url, room, { WebSocket });
let welcome;
client.on('open', (w) => {
  welcome = w;
  client.send({ text: 'hello from node' });
});
client.on('message', (m) => {
  console.log(`[${m.offset}] ${m.client_id}: ${JSON.stringify(m.content)}`);
  if (m.client_id === client.clientId) {
    clearTimeout(timer);
    const result = { ok: true, clientId: welcome.clientId, position: client.position, echo: m.content };
    client.close();
    console.log('RESULT ' + JSON.stringify(result));
  }
});
client.on('close', (e) => console.log('closed', e.code, e.reason));
