package dev.roomcast.spring.boot.autoconfigure.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.roomcast.redis.RedisServer;
import dev.roomcast.spi.BackplaneListener;
import dev.roomcast.spi.BackplaneNode;
import dev.roomcast.spi.MessageDraft;
import dev.roomcast.spi.RoomMessage;
import dev.roomcast.spi.RoomNotice;
import dev.roomcast.spring.boot.autoconfigure.RoomcastProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

/**
 * {@code spring.data.redis.ssl.bundle}: a Boot PEM bundle's trust store and client key reach the
 * backplane, against a real {@code redis-server} that requires TLS with client certificates; the
 * files written for it are private to this user and deleted on close.
 */
class RedisSslBundleTest {

  @Test
  void anSslBundleWithAClientCertificateConnectsToATlsRedis(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("redis.key");
    Path crt = dir.resolve("redis.crt");
    Process openssl =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=DNS:localhost",
                "-keyout",
                key.toString(),
                "-out",
                crt.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assumeThat(openssl.waitFor(30, TimeUnit.SECONDS) && openssl.exitValue() == 0)
        .as("openssl can make a certificate")
        .isTrue();
    // one self-signed certificate: the server's, the CA of both sides, and the client's
    SslBundle bundle =
        SslBundle.of(
            new PemSslStoreBundle(
                PemSslStoreDetails.forCertificate("file:" + crt).withPrivateKey("file:" + key),
                PemSslStoreDetails.forCertificate("file:" + crt)));
    int tlsPort = RedisServer.Builder.freePort();
    try (RedisServer redis =
        RedisServer.builder()
            .args(
                "--tls-port", Integer.toString(tlsPort),
                "--tls-cert-file", crt.toString(),
                "--tls-key-file", key.toString(),
                "--tls-ca-cert-file", crt.toString(),
                "--tls-auth-clients", "yes")
            .start()) {
      SpringDataRedisSettings settings =
          new SpringDataRedisSettings(
              null,
              "localhost",
              tlsPort,
              null,
              null,
              null,
              null,
              null,
              null,
              new SpringDataRedisSettings.Ssl(null, "redis"),
              null,
              null);
      RedisBackplaneFactory.Built built =
          RedisBackplaneFactory.create(
              settings,
              new RoomcastProperties().getRedis(),
              name -> name.equals("redis") ? bundle : null);
      Path files = built.files().trustStore().getParent();
      assertThat(Files.getPosixFilePermissions(files))
          .isEqualTo(PosixFilePermissions.fromString("rwx------"));
      BackplaneNode node = built.backplane().attach("tlsbundle", new Quiet());
      try {
        assertThat(node.isHealthy()).as("connected with the bundle's client certificate").isTrue();
        RoomMessage m =
            node.publish(
                    new MessageDraft(
                        "secure", "c", "\"over tls\"", "2025-01-01T00:00:00Z", "tlsbundle"))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(m.offset()).isEqualTo(1);
      } finally {
        node.close();
        built.close();
      }
      assertThat(files).doesNotExist();
    }
  }

  /** A listener for a node whose traffic this test does not look at. */
  private static final class Quiet implements BackplaneListener {
    @Override
    public void onMessage(RoomMessage message) {}

    @Override
    public void onNotice(RoomNotice notice) {}

    @Override
    public void onLost(Throwable cause) {}

    @Override
    public void onRestored() {}
  }
}
