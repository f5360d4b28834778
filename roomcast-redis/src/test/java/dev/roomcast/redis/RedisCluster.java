package dev.roomcast.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;

/**
 * A real Redis Cluster for tests: {@code 2 × primaries} {@code redis-server} processes on free
 * loopback ports (a replica per primary), joined with {@code redis-cli --cluster create
 * --cluster-replicas 1 --cluster-yes}, with a 1 s {@code cluster-node-timeout} so a killed primary
 * is replaced within a few seconds.
 *
 * <p>Lifecycle methods are synchronized; not meant for use by concurrent tests.
 */
public final class RedisCluster implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final List<RedisServer> servers = new ArrayList<>();

  private RedisCluster() {}

  /** Starts and joins the cluster, and waits until every node says {@code cluster_state:ok}. */
  public static RedisCluster start(int primaries) {
    RedisCluster c = new RedisCluster();
    try {
      for (int i = 0; i < 2 * primaries; i++) {
        c.servers.add(
            RedisServer.builder()
                .args(
                    "--cluster-enabled", "yes",
                    "--cluster-config-file", "nodes.conf",
                    "--cluster-node-timeout", "1000",
                    "--repl-diskless-sync-delay", "0")
                .start());
      }
      List<String> cmd = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
      for (RedisServer s : c.servers) {
        cmd.add(s.host() + ":" + s.port());
      }
      cmd.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
      run(cmd);
      c.awaitOk();
      return c;
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** {@code host:port} of every node, for {@code RedisBackplane.Builder.cluster}. */
  public List<String> seeds() {
    return servers.stream().map(s -> s.host() + ":" + s.port()).toList();
  }

  public List<RedisServer> servers() {
    return List.copyOf(servers);
  }

  /** The node at {@code host:port}. */
  public RedisServer at(String address) {
    for (RedisServer s : servers) {
      if ((s.host() + ":" + s.port()).equals(address)) {
        return s;
      }
    }
    throw new IllegalArgumentException("no node " + address);
  }

  /** The running primary that owns a slot, as a live node reports it. */
  public synchronized String ownerOf(int slot) {
    for (RedisServer s : servers) {
      if (!s.isRunning()) {
        continue;
      }
      try (Jedis j = s.client()) {
        for (Object o : j.clusterSlots()) {
          List<?> range = (List<?>) o;
          if ((Long) range.get(0) <= slot && slot <= (Long) range.get(1)) {
            List<?> node = (List<?>) range.get(2);
            return Wire.text(node.get(0)) + ":" + node.get(1);
          }
        }
      } catch (RuntimeException e) {
        // try the next node
      }
    }
    throw new IllegalStateException("no node knows the owner of slot " + slot);
  }

  /** {@code CLUSTER NODES} as a running node sees it, for failure messages. */
  public synchronized String nodes() {
    for (RedisServer s : servers) {
      if (s.isRunning()) {
        try (Jedis j = s.client()) {
          return j.clusterNodes();
        } catch (RuntimeException e) {
          // next
        }
      }
    }
    return "(no node answers)";
  }

  /** The replica of the primary at {@code address}. */
  public synchronized RedisServer replicaOf(String address) {
    int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    for (RedisServer s : servers) {
      if (s.isRunning() && role(s).equals("slave")) {
        try (Jedis j = s.client()) {
          if (j.info("replication").contains("master_port:" + port + "\r")) {
            return s;
          }
        }
      }
    }
    throw new IllegalStateException("no replica of " + address);
  }

  /** Waits until a replica has everything its primary has. */
  public void awaitInSync(RedisServer primary, RedisServer replica) {
    Await.until(
        WAIT,
        () -> {
          try (Jedis p = primary.client();
              Jedis r = replica.client()) {
            return field(p.info("replication"), "master_repl_offset")
                .equals(field(r.info("replication"), "slave_repl_offset"));
          }
        },
        "the replica catches up");
  }

  private static String field(String info, String name) {
    for (String line : info.split("\r\n")) {
      if (line.startsWith(name + ":")) {
        return line.substring(name.length() + 1);
      }
    }
    return "?";
  }

  /** A running primary other than {@code address}. */
  public synchronized String otherPrimary(String address) {
    for (RedisServer s : servers) {
      String a = s.host() + ":" + s.port();
      if (!a.equals(address) && s.isRunning() && role(s).equals("master")) {
        return a;
      }
    }
    throw new IllegalStateException("no other primary");
  }

  /**
   * Waits until every running node reports {@code cluster_state:ok} and every replica is in sync
   * with its primary: a replica that never synced refuses to take over from a dead primary.
   */
  public void awaitOk() {
    Await.until(
        WAIT,
        () -> servers.stream().filter(RedisServer::isRunning).allMatch(RedisCluster::isOk),
        () -> "cluster_state:ok and replicas in sync:\n" + nodes());
  }

  /**
   * Moves one slot with its keys from its owner to {@code to}, the way {@code redis-cli --cluster
   * reshard} does: IMPORTING/MIGRATING, MIGRATE the keys in batches, then SETSLOT NODE on every
   * node. Commands for the slot's keys meanwhile get ASK or TRYAGAIN.
   */
  public synchronized void moveSlot(int slot, String to) {
    String from = ownerOf(slot);
    RedisServer source = at(from);
    RedisServer target = at(to);
    try (Jedis src = source.client();
        Jedis dst = target.client()) {
      String sourceId = src.clusterMyId();
      String targetId = dst.clusterMyId();
      dst.clusterSetSlotImporting(slot, sourceId);
      src.clusterSetSlotMigrating(slot, targetId);
      while (true) {
        List<String> keys = src.clusterGetKeysInSlot(slot, 10);
        if (keys.isEmpty()) {
          break;
        }
        src.migrate(
            target.host(),
            target.port(),
            0,
            5000,
            redis.clients.jedis.params.MigrateParams.migrateParams(),
            keys.toArray(new String[0]));
      }
      dst.clusterSetSlotNode(slot, targetId);
      src.clusterSetSlotNode(slot, targetId);
      for (RedisServer s : servers) {
        if (s.isRunning() && s != source && s != target) {
          try (Jedis j = s.client()) {
            j.clusterSetSlotNode(slot, targetId);
          } catch (RuntimeException e) {
            // a replica learns it from its primary
          }
        }
      }
    }
  }

  private static String role(RedisServer s) {
    try (Jedis j = s.client()) {
      return Wire.text(((List<?>) j.role()).get(0));
    } catch (RuntimeException e) {
      return "down";
    }
  }

  private static boolean isOk(RedisServer s) {
    try (Jedis j = s.client()) {
      if (!j.clusterInfo().contains("cluster_state:ok")) {
        return false;
      }
      String replication = j.info("replication");
      return replication.contains("role:master") || replication.contains("master_link_status:up");
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static void run(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", cmd) + " failed: " + new String(out, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run redis-cli", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public synchronized void close() {
    servers.forEach(RedisServer::close);
  }

  @Override
  public String toString() {
    return "RedisCluster" + seeds();
  }
}
