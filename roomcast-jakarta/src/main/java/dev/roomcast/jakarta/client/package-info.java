/**
 * A reconnecting roomcast client on the Jakarta WebSocket client API: {@link
 * dev.roomcast.jakarta.client.RoomcastClient}.
 *
 * <p>It resumes from the last offset and epoch it saw after every reconnect, drops duplicates,
 * detects gaps and resumes across them, backs off with {@link dev.roomcast.BackoffPolicy}, stops on
 * terminal close codes ({@link dev.roomcast.CloseCodes#isTerminal}) and queues messages sent while
 * it is offline in a bounded queue. See {@code docs/clients.md}.
 *
 * <p>Deprecated: new code uses {@code dev.roomcast.client.RoomcastClient} from {@code
 * roomcast-client}, which needs no WebSocket container and does not stall after a drain.
 */
package dev.roomcast.jakarta.client;
