package dev.roomcast.spring.boot.autoconfigure;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts a Spring Boot application on a free port with real sockets, for one test class. */
final class TestServers {
  private TestServers() {}

  /** Starts {@code app} with {@code properties} ({@code name=value}) on a free port. */
  static ConfigurableApplicationContext start(Class<?> app, String... properties) {
    List<String> props = new ArrayList<>(List.of(properties));
    props.add("server.port=0");
    props.add("spring.main.banner-mode=off");
    props.add("logging.level.root=WARN");
    SpringApplication application =
        new SpringApplicationBuilder(app).properties(props.toArray(String[]::new)).build();
    // tests close the context themselves; no JVM shutdown hook per started server
    application.setRegisterShutdownHook(false);
    return application.run();
  }

  static int port(ConfigurableApplicationContext context) {
    return ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  static URI ws(ConfigurableApplicationContext context, String pathAndQuery) {
    return URI.create("ws://127.0.0.1:" + port(context) + pathAndQuery);
  }

  static URI http(ConfigurableApplicationContext context, String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port(context) + pathAndQuery);
  }
}
