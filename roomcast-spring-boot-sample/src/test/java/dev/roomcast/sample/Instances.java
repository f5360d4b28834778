package dev.roomcast.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Runs instances of the sample on free ports in this JVM, and talks HTTP to them. */
final class Instances {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  private Instances() {}

  static ConfigurableApplicationContext start(String... properties) {
    List<String> props = new ArrayList<>(List.of(properties));
    props.add("server.port=0");
    props.add("spring.main.banner-mode=off");
    props.add("logging.level.root=WARN");
    SpringApplication app =
        new SpringApplicationBuilder(ChatApplication.class)
            .properties(props.toArray(String[]::new))
            .build();
    app.setRegisterShutdownHook(false);
    return app.run();
  }

  static int port(ConfigurableApplicationContext app) {
    return ((WebServerApplicationContext) app).getWebServer().getPort();
  }

  static URI ws(ConfigurableApplicationContext app, String path) {
    return URI.create("ws://127.0.0.1:" + port(app) + path);
  }

  static HttpResponse<String> get(ConfigurableApplicationContext app, String path)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(app) + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** {@code POST path} with a JSON body, as {@code user} (HTTP Basic) or a guest ({@code null}). */
  static HttpResponse<String> post(
      ConfigurableApplicationContext app, String path, String json, String user, String password)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(app) + path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (user != null) {
      b.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
