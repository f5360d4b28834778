package dev.roomcast.redis;

import java.util.function.Supplier;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.HostAndPortMapper;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisCredentials;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.authentication.AuthXManager;

/**
 * A connection config that keeps every connection on plain RESP2 without a {@code HELLO}, so any
 * Redis from 5 on works, with Jedis 7.x and 8.x alike.
 *
 * <p>Why not {@code DefaultJedisClientConfig.Builder.autoNegotiateProtocol(false)}: that setter
 * exists only from Jedis 8, which negotiates RESP3 by default; Jedis 7 has neither the setter nor
 * the negotiation. Spring Boot 4.0 manages Jedis 7.0.0, so calling the setter fails there with
 * {@code NoSuchMethodError}. Instead this class answers {@link #isAutoNegotiateProtocol()} itself:
 * on Jedis 8 it overrides the interface method (whose default is {@code true}); on Jedis 7 it is an
 * extra method nobody calls. It carries no {@code @Override} so it compiles against both.
 *
 * <p>Everything else is delegated to the config built by {@code DefaultJedisClientConfig}, method
 * by method for every method the interface has in both versions; the few that only Jedis 8 adds
 * (search dialect, JSON mapper, key preprocessor) concern Jedis' command objects, which roomcast
 * does not use, and keep their interface defaults. {@code JedisCompatibilityTest} checks, against a
 * real server and with whichever Jedis is on the class path, that connections stay on RESP2.
 *
 * <p>Immutable and thread-safe, as the delegate is.
 */
final class Resp2ClientConfig implements JedisClientConfig {
  private final JedisClientConfig delegate;

  Resp2ClientConfig(JedisClientConfig delegate) {
    this.delegate = delegate;
  }

  /** Never negotiate: on Jedis 8 this overrides the interface default ({@code true}). */
  public boolean isAutoNegotiateProtocol() {
    return false;
  }

  @Override
  public RedisProtocol getRedisProtocol() {
    return delegate.getRedisProtocol();
  }

  @Override
  public int getConnectionTimeoutMillis() {
    return delegate.getConnectionTimeoutMillis();
  }

  @Override
  public int getSocketTimeoutMillis() {
    return delegate.getSocketTimeoutMillis();
  }

  @Override
  public int getBlockingSocketTimeoutMillis() {
    return delegate.getBlockingSocketTimeoutMillis();
  }

  @Override
  public String getUser() {
    return delegate.getUser();
  }

  @Override
  public String getPassword() {
    return delegate.getPassword();
  }

  @Override
  public Supplier<RedisCredentials> getCredentialsProvider() {
    return delegate.getCredentialsProvider();
  }

  @Override
  public AuthXManager getAuthXManager() {
    return delegate.getAuthXManager();
  }

  @Override
  public int getDatabase() {
    return delegate.getDatabase();
  }

  @Override
  public String getClientName() {
    return delegate.getClientName();
  }

  @Override
  public boolean isSsl() {
    return delegate.isSsl();
  }

  @Override
  public SSLSocketFactory getSslSocketFactory() {
    return delegate.getSslSocketFactory();
  }

  @Override
  public SSLParameters getSslParameters() {
    return delegate.getSslParameters();
  }

  @Override
  public SslOptions getSslOptions() {
    return delegate.getSslOptions();
  }

  @Override
  public HostnameVerifier getHostnameVerifier() {
    return delegate.getHostnameVerifier();
  }

  @Override
  public HostAndPortMapper getHostAndPortMapper() {
    return delegate.getHostAndPortMapper();
  }

  @Override
  public boolean isReadOnlyForRedisClusterReplicas() {
    return delegate.isReadOnlyForRedisClusterReplicas();
  }

  @Override
  public ClientSetInfoConfig getClientSetInfoConfig() {
    return delegate.getClientSetInfoConfig();
  }

  @Override
  public String toString() {
    return "Resp2ClientConfig{" + delegate.getClientName() + "}";
  }
}
