/**
 * The reconnecting Java client for roomcast rooms: {@link dev.roomcast.client.RoomcastClient}, on
 * the JDK's {@link java.net.http.WebSocket} (no WebSocket container, no Jackson type in the API).
 *
 * <p>It resumes from the last offset and epoch it saw after every reconnect, marks the messages a
 * resume replays, drops duplicates, detects gaps and resumes across them, backs off with {@link
 * dev.roomcast.BackoffPolicy}, stops on terminal close codes ({@link
 * dev.roomcast.CloseCodes#isTerminal}) and queues messages sent while it is offline in a bounded
 * queue. Its lifecycle and every rule are in {@code docs/clients.md}. Nothing in {@code
 * dev.roomcast.client.internal} is API.
 */
package dev.roomcast.client;
