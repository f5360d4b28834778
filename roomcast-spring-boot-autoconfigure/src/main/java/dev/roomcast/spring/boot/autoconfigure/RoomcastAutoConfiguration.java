package dev.roomcast.spring.boot.autoconfigure;

import dev.roomcast.Authenticator;
import dev.roomcast.Hub;
import dev.roomcast.InMemoryBackplane;
import dev.roomcast.MessageHandler;
import dev.roomcast.RoomAuthorizer;
import dev.roomcast.redis.RedisBackplane;
import dev.roomcast.spi.Backplane;
import dev.roomcast.spring.boot.autoconfigure.internal.PropertyMapping;
import dev.roomcast.spring.boot.autoconfigure.internal.RedisBackplaneFactory;
import dev.roomcast.spring.boot.autoconfigure.internal.SpringDataRedisSettings;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * The {@link Hub} bean and what it is built from: the backplane ({@code roomcast.backplane}:
 * in-memory by default, Redis from {@code spring.data.redis.*}), the {@code roomcast.*} limits, the
 * application's {@link Authenticator} and {@link RoomAuthorizer} beans (Spring Security's principal
 * when Security is present, see {@link RoomcastSecurityAutoConfiguration}) and its {@link
 * RoomcastHubCustomizer}s; and the {@link RoomcastTemplate} that publishes objects with the
 * application's JSON mapper. Every bean backs off when the application defines its own.
 *
 * <p>The hub is closed (remaining connections get 1001, the backplane is detached) when the context
 * closes; before that, on a servlet web server, {@link RoomcastDrain} has drained it.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
      "org.springframework.boot.jackson2.autoconfigure.Jackson2AutoConfiguration",
      "org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration"
    })
@EnableConfigurationProperties(RoomcastProperties.class)
@Import({
  RoomcastAutoConfiguration.RedisBackplaneConfiguration.class,
  RoomcastAutoConfiguration.RedisMissingConfiguration.class,
  RoomcastAutoConfiguration.MemoryBackplaneConfiguration.class,
  RoomcastAutoConfiguration.Jackson3TemplateConfiguration.class,
  RoomcastAutoConfiguration.Jackson2TemplateConfiguration.class,
  RoomcastAutoConfiguration.PlainTemplateConfiguration.class
})
public class RoomcastAutoConfiguration {

  /**
   * The hub, from the properties, the backplane and the application's security and message handler
   * beans.
   */
  @Bean
  @ConditionalOnMissingBean
  public Hub roomcastHub(
      RoomcastProperties properties,
      Backplane backplane,
      ObjectProvider<Authenticator> authenticator,
      ObjectProvider<RoomAuthorizer> authorizer,
      ObjectProvider<MessageHandler> messageHandler,
      ObjectProvider<RoomcastHubCustomizer> customizers) {
    Hub.Builder builder = Hub.builder().backplane(backplane);
    PropertyMapping.applyTo(builder, properties);
    // getIfAvailable, not ifUnique: two candidates must fail the start, not leave the hub open
    Authenticator a = authenticator.getIfAvailable();
    if (a != null) {
      builder.authenticator(a);
    }
    RoomAuthorizer r = authorizer.getIfAvailable();
    if (r != null) {
      builder.authorizer(r);
    }
    MessageHandler h = messageHandler.getIfAvailable();
    if (h != null) {
      builder.messageHandler(h);
    }
    customizers.orderedStream().forEach(c -> c.customize(builder));
    return builder.build();
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(
      prefix = "roomcast",
      name = "backplane",
      havingValue = "memory",
      matchIfMissing = true)
  static class MemoryBackplaneConfiguration {
    @Bean
    @ConditionalOnMissingBean(Backplane.class)
    InMemoryBackplane roomcastBackplane() {
      return InMemoryBackplane.create();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "dev.roomcast.redis.RedisBackplane")
  @ConditionalOnProperty(prefix = "roomcast", name = "backplane", havingValue = "redis")
  static class RedisBackplaneConfiguration {
    /** Keeps the SSL bundle files (if any) for as long as the backplane reads them. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(Backplane.class)
    RedisBackplaneFactory.Built roomcastRedisBackplaneFiles(
        Environment environment,
        RoomcastProperties properties,
        ObjectProvider<SslBundles> sslBundles) {
      SslBundles bundles = sslBundles.getIfAvailable();
      return RedisBackplaneFactory.create(
          SpringDataRedisSettings.from(environment),
          properties.getRedis(),
          bundles == null ? null : bundles::getBundle);
    }

    // registered after the method above (bean methods are read in source order), so the
    // condition still sees only the application's own backplane, if any
    @Bean
    @ConditionalOnMissingBean(Backplane.class)
    RedisBackplane roomcastBackplane(RedisBackplaneFactory.Built built) {
      return built.backplane();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingClass("dev.roomcast.redis.RedisBackplane")
  @ConditionalOnProperty(prefix = "roomcast", name = "backplane", havingValue = "redis")
  static class RedisMissingConfiguration {
    @Bean
    @ConditionalOnMissingBean(Backplane.class)
    Backplane roomcastBackplane() {
      throw new InvalidRoomcastPropertyException(
          "roomcast.backplane",
          "redis needs dev.roomcast:roomcast-redis on the class path (add it next to the starter)");
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "tools.jackson.databind.ObjectMapper")
  @ConditionalOnBean(type = "tools.jackson.databind.ObjectMapper")
  static class Jackson3TemplateConfiguration {
    @Bean
    @ConditionalOnMissingBean
    RoomcastTemplate roomcastTemplate(Hub hub, tools.jackson.databind.ObjectMapper mapper) {
      // Jackson 3 throws unchecked JacksonException
      return new RoomcastTemplate(hub, mapper::writeValueAsString);
    }
  }

  // the three template configurations exclude each other, so their order does not matter
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingBean(type = "tools.jackson.databind.ObjectMapper")
  @ConditionalOnBean(com.fasterxml.jackson.databind.ObjectMapper.class)
  static class Jackson2TemplateConfiguration {
    @Bean
    @ConditionalOnMissingBean
    RoomcastTemplate roomcastTemplate(Hub hub, com.fasterxml.jackson.databind.ObjectMapper mapper) {
      return new RoomcastTemplate(hub, mapper::writeValueAsString);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingBean(
      type = {"tools.jackson.databind.ObjectMapper", "com.fasterxml.jackson.databind.ObjectMapper"})
  static class PlainTemplateConfiguration {
    @Bean
    @ConditionalOnMissingBean
    RoomcastTemplate roomcastTemplate(Hub hub) {
      com.fasterxml.jackson.databind.ObjectMapper mapper =
          new com.fasterxml.jackson.databind.ObjectMapper();
      return new RoomcastTemplate(hub, mapper::writeValueAsString);
    }
  }
}
