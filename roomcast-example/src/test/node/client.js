// client.js - Node.js WebSocket client with reconnection
const WebSocket = require('ws');

const SERVICE_URL = 'wss://ws-server-abc123-uc.a.run.app/general';
let reconnectAttempts = 0;

function connect() {
    const ws = new WebSocket(SERVICE_URL);

    ws.on('open', () => {
        console.log('Connected to WebSocket server');
        reconnectAttempts = 0;

        // Send a message every 5 seconds
        const interval = setInterval(() => {
            if (ws.readyState === WebSocket.OPEN) {
                ws.send(JSON.stringify({
                    content: `Ping from Node.js client at ${new Date().toISOString()}`
                }));
            } else {
                clearInterval(interval);
            }
        }, 5000);
    });

    ws.on('message', (data) => {
        const message = JSON.parse(data.toString());
        console.log(`[${message.type}] ${message.client_id || 'system'}: ${message.content || message.message}`);
    });

    ws.on('close', () => {
        console.log('Disconnected. Reconnecting...');
        const delay = Math.min(1000 * Math.pow(2, reconnectAttempts), 30000);
        reconnectAttempts++;
        setTimeout(connect, delay);
    });

    ws.on('error', (error) => {
        console.error('WebSocket error:', error.message);
    });
}

connect();
