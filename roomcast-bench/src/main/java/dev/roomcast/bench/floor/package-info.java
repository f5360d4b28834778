/**
 * The loopback floor: a minimal NIO WebSocket server that speaks just enough of the room protocol
 * for the broadcast scenarios, so the table can show what one {@code write()} per delivery costs on
 * this machine. Not a product: no notices, no limits beyond bounded memory, no TLS.
 */
package dev.roomcast.bench.floor;
