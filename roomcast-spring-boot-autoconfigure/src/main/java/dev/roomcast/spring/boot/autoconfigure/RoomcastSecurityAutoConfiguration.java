package dev.roomcast.spring.boot.autoconfigure;

import dev.roomcast.Authenticator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * With Spring Security on the class path, the handshake's authenticated principal becomes the
 * roomcast {@link dev.roomcast.Identity} ({@link SpringSecurityAuthenticator}), unless the
 * application defines its own {@link Authenticator}. Room authorization is the application's {@link
 * dev.roomcast.RoomAuthorizer} bean, if any.
 */
@AutoConfiguration(before = RoomcastAutoConfiguration.class)
@ConditionalOnClass(SecurityContextHolder.class)
public class RoomcastSecurityAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(Authenticator.class)
  public SpringSecurityAuthenticator roomcastSpringSecurityAuthenticator() {
    return new SpringSecurityAuthenticator();
  }
}
