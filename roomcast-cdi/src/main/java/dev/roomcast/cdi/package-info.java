/**
 * roomcast for Jakarta EE 10 servers with CDI and MicroProfile (Payara 6, and the like): adding the
 * {@code roomcast-cdi} jar to a WAR is all it takes. On startup it reads the {@code roomcast.*}
 * MicroProfile Config properties, deploys the WebSocket endpoint (and Server-Sent Events) in the
 * application, offers the {@link dev.roomcast.Hub} for injection ({@code @Inject Hub hub}), reports
 * readiness to MicroProfile Health, and drains every connection with 1012 when the application
 * stops.
 *
 * <p>Extension points are ordinary CDI beans: an {@link dev.roomcast.Authenticator} (default {@link
 * dev.roomcast.cdi.PrincipalAuthenticator}: the server's authenticated principal), a {@link
 * dev.roomcast.RoomAuthorizer}, and {@link dev.roomcast.cdi.HubCustomizer}s. Everything in {@code
 * dev.roomcast.cdi.internal} is not API.
 */
package dev.roomcast.cdi;
