package dev.roomcast.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.roomcast.BackplaneUnavailableException;
import dev.roomcast.StreamPosition;
import dev.roomcast.spi.BackplaneNode;
import dev.roomcast.spi.HistoryPage;
import dev.roomcast.spi.MessageDraft;
import dev.roomcast.spi.RoomMessage;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/** Logging in, databases, TLS, keep-alive and the rollback fence, each against its own Redis. */
class RedisConnectionTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static <T> T get(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static MessageDraft draft(String room, String node, String content) {
    return new MessageDraft(room, "c", content, "2025-01-01T00:00:00Z", node);
  }

  @Test
  void passwordAndDatabaseComeFromTheUrl() throws Exception {
    try (RedisServer redis = RedisServer.builder().password("s3cr:t@x").start()) {
      String url = "redis://default:" + "s3cr%3At%40x" + "@127.0.0.1:" + redis.port() + "/3";
      RedisBackplane bp = RedisBackplane.fromUrl(url);
      assertThat(bp.toString()).doesNotContain("s3cr");
      BackplaneNode node = bp.attach("auth", new RecordingListener());
      try {
        assertThat(node.isHealthy()).isTrue();
        get(node.publish(draft("r", "auth", "1")));
      } finally {
        node.close();
      }
      try (Jedis j = redis.client()) {
        assertThat(j.exists(bp.metaKeyOf("r"))).as("not in database 0").isFalse();
        j.select(3);
        assertThat(j.exists(bp.metaKeyOf("r"))).isTrue();
      }
    }
  }

  @Test
  void aWrongPasswordIsAnOutageWithAClearCause() throws Exception {
    try (RedisServer redis = RedisServer.builder().password("right").start()) {
      RedisBackplane bp =
          RedisBackplane.builder()
              .uri("redis://:wrong@127.0.0.1:" + redis.port())
              .connectTimeout(Duration.ofMillis(300))
              .socketTimeout(Duration.ofMillis(300))
              .backoff(RedisExtension.quickBackoff())
              .build();
      BackplaneNode node = bp.attach("wrongpw", new RecordingListener());
      try {
        assertThat(node.isHealthy()).isFalse();
        Throwable failure = null;
        try {
          get(node.publish(draft("r", "wrongpw", "1")));
        } catch (ExecutionException e) {
          failure = e.getCause();
        }
        assertThat(failure)
            .isInstanceOf(BackplaneUnavailableException.class)
            .hasMessage("Redis unreachable; reconnecting");
        assertThat(failure.getCause()).isNotNull();
        assertThat(failure.getCause().getMessage()).containsIgnoringCase("password");
        assertThat(failure.getMessage()).doesNotContain("wrong");
      } finally {
        node.close();
      }
    }
  }

  @Test
  void pingsKeepAHealthyConnectionHealthy() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      RecordingListener l = new RecordingListener();
      RedisBackplane bp =
          RedisBackplane.builder()
              .uri(redis.uri())
              .pingInterval(Duration.ofMillis(20))
              .socketTimeout(Duration.ofMillis(1000))
              .build();
      BackplaneNode node = bp.attach("pinger", l);
      try {
        Thread.sleep(1500); // ~75 PINGs, each answered
        assertThat(l.lost.get()).isZero();
        assertThat(node.isHealthy()).isTrue();
        try (Jedis j = redis.client()) {
          String clients = j.clientList();
          assertThat(clients)
              .contains("name=roomcast-pinger-sub")
              .contains("name=roomcast-pinger-cmd");
          assertThat(clients).contains("resp=2");
        }
      } finally {
        node.close();
      }
    }
  }

  @Test
  void aRedisThatWentBackInTimeGetsANewEpochInsteadOfReusedOffsets() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      RecordingListener l = new RecordingListener();
      RedisBackplane bp = RedisExtension.backplane(redis).build();
      BackplaneNode node = bp.attach("fence", l);
      try {
        String room = "rewound";
        node.subscribe(room);
        RoomMessage last = null;
        for (int i = 1; i <= 10; i++) {
          last = get(node.publish(draft(room, "fence", Integer.toString(i))));
        }
        // an older snapshot comes back: the head is at 5 while this node saw 10
        try (Jedis j = redis.client()) {
          j.hset(bp.metaKeyOf(room), "head", "5");
        }
        assertThat(redis.killClients("roomcast-fence-sub")).isEqualTo(1);
        Await.until(WAIT, () -> l.restored.get() == 1 && node.isHealthy(), "restored");
        StreamPosition now = get(node.position(room));
        assertThat(now.epoch()).isNotEqualTo(last.epoch());
        assertThat(now.offset()).isZero();
        HistoryPage old = get(node.readHistory(room, last.epoch(), 5, 100));
        assertThat(old.complete()).isFalse();
        RoomMessage next = get(node.publish(draft(room, "fence", "11")));
        assertThat(next.epoch()).isEqualTo(now.epoch());
        assertThat(next.offset()).isEqualTo(1);

        // a plain reconnect with nothing lost keeps the epoch
        assertThat(redis.killClients("roomcast-fence-sub")).isEqualTo(1);
        Await.until(WAIT, () -> l.restored.get() == 2 && node.isHealthy(), "restored again");
        assertThat(get(node.position(room))).isEqualTo(new StreamPosition(next.epoch(), 1));
      } finally {
        node.close();
      }
    }
  }

  @Test
  void offsetsReusedForOtherMessagesWhileANodeWasAwayGetANewEpoch() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      RecordingListener l = new RecordingListener();
      BackplaneNode a =
          RedisExtension.backplane(redis)
              .backoff(RedisExtension.fixedBackoff(Duration.ofMillis(1500)))
              .build()
              .attach("reuse", l);
      RedisBackplane bp = RedisExtension.backplane(redis).build();
      BackplaneNode b = bp.attach("other", new RecordingListener());
      try {
        String room = "reused";
        a.subscribe(room);
        RoomMessage last = null;
        for (int i = 1; i <= 10; i++) {
          last = get(a.publish(draft(room, "reuse", Integer.toString(i))));
        }
        // a is away for 1.5 s; meanwhile the tail is lost (a replica without offsets 9 and 10
        // was promoted) and another node publishes into those offsets: the head is back at 10,
        // so only the content tells
        assertThat(redis.killClients("roomcast-reuse-sub")).isEqualTo(1);
        Await.until(WAIT, () -> !a.isHealthy(), "a is away");
        try (Jedis j = redis.client()) {
          // the promoted replica's stream: entries 1-8 only (rebuilt: a stream never accepts an
          // id below its last one, even after XDEL)
          String log = bp.streamKeyOf(room);
          List<StreamEntry> kept = j.xrange(log, new StreamEntryID(1, 0), new StreamEntryID(8, 0));
          j.del(log);
          for (StreamEntry e : kept) {
            j.xadd(log, e.getID(), e.getFields());
          }
          j.hset(bp.metaKeyOf(room), "head", "8");
        }
        for (int i = 9; i <= 10; i++) {
          RoomMessage m = get(b.publish(draft(room, "other", "\"other " + i + "\"")));
          assertThat(m.offset()).isEqualTo(i);
          assertThat(m.epoch()).isEqualTo(last.epoch());
        }
        Await.until(WAIT, () -> l.restored.get() == 1 && a.isHealthy(), "a is back");
        StreamPosition now = get(a.position(room));
        assertThat(now.epoch()).as("the reused offsets are noticed").isNotEqualTo(last.epoch());
        assertThat(now.offset()).isZero();
        assertThat(get(b.readHistory(room, last.epoch(), 8, 100)).complete())
            .as("a resume from the old epoch is not recovered")
            .isFalse();
      } finally {
        a.close();
        b.close();
      }
    }
  }

  @Test
  void tlsWithAPrivateCaAndHostnameVerification(@TempDir Path dir) throws Exception {
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
    // the private CA (here: the self-signed certificate itself) in a PKCS12 trust store
    char[] storePassword = "changeit".toCharArray();
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(crt)) {
      trust.setCertificateEntry(
          "redis", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    Path trustStore = dir.resolve("trust.p12");
    try (OutputStream out = Files.newOutputStream(trustStore)) {
      trust.store(out, storePassword);
    }

    int tlsPort = RedisServer.Builder.freePort();
    try (RedisServer redis =
        RedisServer.builder()
            .args(
                "--tls-port", Integer.toString(tlsPort),
                "--tls-cert-file", crt.toString(),
                "--tls-key-file", key.toString(),
                "--tls-ca-cert-file", crt.toString(),
                "--tls-auth-clients", "no")
            .start()) {
      RedisBackplane bp =
          RedisBackplane.builder()
              .uri("rediss://localhost:" + tlsPort)
              .tlsTrustStore(trustStore, storePassword)
              .build();
      RecordingListener lb = new RecordingListener();
      BackplaneNode a = bp.attach("tlsa", new RecordingListener());
      BackplaneNode b = bp.attach("tlsb", lb);
      try {
        assertThat(a.isHealthy()).isTrue();
        b.subscribe("secure");
        RoomMessage m = get(a.publish(draft("secure", "tlsa", "\"over tls\"")));
        Await.until(WAIT, () -> lb.messages.size() == 1, "b hears it over TLS");
        assertThat(lb.messages.get(0)).isEqualTo(m);
        assertThat(redis.numsub(bp.channelOf("secure"))).isEqualTo(1);
      } finally {
        a.close();
        b.close();
      }

      // not trusting the CA, or a host the certificate does not name: an outage, not a hang
      assertThat(healthy(quick("rediss://localhost:" + tlsPort), "tlsnoca")).isFalse();
      assertThat(
              healthy(
                  quick("rediss://127.0.0.1:" + tlsPort).tlsTrustStore(trustStore, storePassword),
                  "tlsnoname"))
          .as("the certificate names localhost, not 127.0.0.1")
          .isFalse();
      assertThat(
              healthy(
                  quick("rediss://127.0.0.1:" + tlsPort)
                      .tlsTrustStore(trustStore, storePassword)
                      .tlsVerifyHostname(false)
                      // the timeouts that must pass: a TLS handshake on a loaded machine
                      .connectTimeout(Duration.ofSeconds(2))
                      .socketTimeout(Duration.ofSeconds(2)),
                  "tlschainonly"))
          .isTrue();
    }
  }

  private static RedisBackplane.Builder quick(String uri) {
    return RedisBackplane.builder()
        .uri(uri)
        .connectTimeout(Duration.ofMillis(500))
        .socketTimeout(Duration.ofMillis(500))
        .backoff(RedisExtension.quickBackoff());
  }

  private static boolean healthy(RedisBackplane.Builder b, String nodeId) {
    BackplaneNode n = b.build().attach(nodeId, new RecordingListener());
    try {
      return n.isHealthy();
    } finally {
      n.close();
    }
  }
}
