package dev.roomcast.spring.boot.autoconfigure.apps.secured;

import dev.roomcast.Identity;
import dev.roomcast.RoomAuthorizer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * An application with Spring Security: anyone may join rooms under {@code /ws/}, except {@code
 * /ws/staff}, which needs a signed-in user (HTTP Basic); room {@code admins} is for {@code
 * ROLE_ADMIN} only, decided by a {@link RoomAuthorizer} bean that also records who joined.
 */
@SpringBootApplication
public class SecuredApp {

  /** The identity the hub saw for the last join of each room. */
  public static final Map<String, Identity> JOINED = new ConcurrentHashMap<>();

  @Bean
  SecurityFilterChain roomcastSecurity(HttpSecurity http) throws Exception {
    return http.authorizeHttpRequests(
            a -> a.requestMatchers("/ws/staff").authenticated().anyRequest().permitAll())
        .httpBasic(Customizer.withDefaults())
        .csrf(c -> c.disable())
        .build();
  }

  @Bean
  InMemoryUserDetailsManager users() {
    return new InMemoryUserDetailsManager(
        User.withUsername("alice").password("{noop}wonderland").roles("USER").build(),
        User.withUsername("root").password("{noop}toor").roles("USER", "ADMIN").build());
  }

  @Bean
  RoomAuthorizer roomAuthorizer() {
    return (who, room, action) -> {
      if (action == RoomAuthorizer.Action.JOIN) {
        JOINED.put(room, who);
      }
      if (!room.equals("admins")) {
        return true;
      }
      Object authorities = who.claims().get("authorities");
      return authorities instanceof List<?> l && l.contains("ROLE_ADMIN");
    };
  }
}
