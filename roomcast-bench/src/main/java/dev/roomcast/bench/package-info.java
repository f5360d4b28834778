/**
 * End-to-end benchmark harness for roomcast and the reference peers.
 *
 * <p>The harness speaks only the seed wire protocol over {@code java.net.http.WebSocket}, so the
 * same scenarios run unchanged against the node-ws peer, the seed-python peer and roomcast. Entry
 * point: {@link dev.roomcast.bench.BenchMain}.
 */
package dev.roomcast.bench;
