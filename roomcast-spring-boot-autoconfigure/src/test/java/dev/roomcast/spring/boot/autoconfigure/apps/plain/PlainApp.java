package dev.roomcast.spring.boot.autoconfigure.apps.plain;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An application with nothing roomcast-specific in it: the starter's auto-configuration alone (with
 * Actuator and Spring MVC on the class path, as in the tests' POM), and no Spring Security filter
 * chain of its own.
 */
@SpringBootApplication(
    excludeName = {
      "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
      "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
      "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
      "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
      "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration"
    })
public class PlainApp {}
