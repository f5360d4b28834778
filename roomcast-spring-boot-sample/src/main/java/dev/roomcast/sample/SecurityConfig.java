package dev.roomcast.sample;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Guests may do everything anonymously; {@code alice} and {@code bob} sign in with HTTP Basic
 * (browsers then send the credentials with every request to this origin, the WebSocket handshake
 * included, so the starter sees them as the roomcast identity). {@code GET /signin} is the one page
 * that requires a user: it makes the browser ask for one.
 *
 * <p>CSRF protection is off because the only state-changing call, {@code POST /api/...}, takes
 * {@code application/json} only: a cross-site form cannot send that, and a cross-site {@code fetch}
 * with it needs a CORS preflight this service never grants.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

  @Bean
  SecurityFilterChain chatSecurity(HttpSecurity http) throws Exception {
    return http.authorizeHttpRequests(
            a ->
                a.requestMatchers("/signin")
                    .authenticated()
                    // roomcast: the endpoints (and everything else) are open to guests
                    .requestMatchers("/ws", "/ws/**", "/events/**")
                    .permitAll()
                    .anyRequest()
                    .permitAll())
        .httpBasic(Customizer.withDefaults())
        .csrf(c -> c.disable())
        .build();
  }

  /** Demo users; a real service would use its own user store. */
  @Bean
  InMemoryUserDetailsManager users() {
    return new InMemoryUserDetailsManager(
        User.withUsername("alice").password("{noop}alice-secret").roles("USER").build(),
        User.withUsername("bob").password("{noop}bob-secret").roles("USER").build());
  }
}
