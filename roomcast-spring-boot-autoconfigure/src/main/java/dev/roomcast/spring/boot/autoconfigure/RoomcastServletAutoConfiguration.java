package dev.roomcast.spring.boot.autoconfigure;

import dev.roomcast.Hub;
import dev.roomcast.jakarta.RoomcastEndpoints;
import dev.roomcast.jakarta.servlet.RoomcastSseServlet;
import dev.roomcast.jakarta.sse.SseEndpoint;
import dev.roomcast.spring.boot.autoconfigure.internal.EndpointPropertyMapping;
import dev.roomcast.spring.boot.autoconfigure.internal.HttpPublishServlet;
import dev.roomcast.spring.boot.autoconfigure.internal.PropertyMapping;
import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerContainer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Serves the hub from the servlet web server (embedded Tomcat, or Jetty when the application swaps
 * it in): the Jakarta WebSocket endpoint at {@code roomcast.websocket.path}, Server-Sent Events at
 * {@code roomcast.sse.path}, the opt-in HTTP publish endpoint at {@code
 * roomcast.http-publish.path}, and the drain on shutdown ({@link RoomcastDrain}). Requests to all
 * three go through the application's servlet filters, Spring Security's included.
 */
@AutoConfiguration(after = RoomcastAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({RoomcastEndpoints.class, ServerContainer.class, ServletRegistrationBean.class})
@ConditionalOnBean(Hub.class)
public class RoomcastServletAutoConfiguration {

  /** The WebSocket endpoint, deployed once the server's WebSocket container exists. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  @ConditionalOnProperty(
      prefix = "roomcast.websocket",
      name = "enabled",
      havingValue = "true",
      matchIfMissing = true)
  public RoomcastWebSocket roomcastWebSocket(
      ServletContext servletContext,
      Hub hub,
      RoomcastProperties properties,
      ApplicationContext context) {
    boolean realServer =
        context instanceof WebServerApplicationContext w && w.getWebServer() != null;
    return RoomcastWebSocket.deploy(
        servletContext, hub, EndpointPropertyMapping.endpointConfig(properties), realServer);
  }

  /** Server-Sent Events subscriptions to the hub. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  @ConditionalOnProperty(
      prefix = "roomcast.sse",
      name = "enabled",
      havingValue = "true",
      matchIfMissing = true)
  public SseEndpoint roomcastSseEndpoint(Hub hub, RoomcastProperties properties) {
    return SseEndpoint.create(hub, EndpointPropertyMapping.sseConfig(properties));
  }

  /** {@code GET {roomcast.sse.path}/{room}}. */
  @Bean
  @ConditionalOnBean(SseEndpoint.class)
  @ConditionalOnMissingBean(name = "roomcastSseServlet")
  public ServletRegistrationBean<RoomcastSseServlet> roomcastSseServlet(
      SseEndpoint sse, RoomcastProperties properties) {
    ServletRegistrationBean<RoomcastSseServlet> r =
        new ServletRegistrationBean<>(
            new RoomcastSseServlet(sse),
            PropertyMapping.servletMapping("roomcast.sse.path", properties.getSse().getPath()));
    r.setName("roomcastSse");
    r.setAsyncSupported(true);
    return r;
  }

  /** {@code POST {roomcast.http-publish.path}/{room}/messages}, when enabled. */
  @Bean
  @ConditionalOnMissingBean(name = "roomcastHttpPublishServlet")
  @ConditionalOnProperty(prefix = "roomcast.http-publish", name = "enabled", havingValue = "true")
  public ServletRegistrationBean<HttpPublishServlet> roomcastHttpPublishServlet(
      Hub hub, RoomcastProperties properties) {
    ServletRegistrationBean<HttpPublishServlet> r =
        new ServletRegistrationBean<>(
            new HttpPublishServlet(hub),
            PropertyMapping.servletMapping(
                "roomcast.http-publish.path", properties.getHttpPublish().getPath()));
    r.setName("roomcastHttpPublish");
    r.setAsyncSupported(true);
    return r;
  }

  /** 1012 to every connection, spread out, before the web server shuts down. */
  @Bean
  @ConditionalOnMissingBean
  public RoomcastDrain roomcastDrain(
      Hub hub, RoomcastProperties properties, ObjectProvider<RoomcastWebSocket> webSocket) {
    return new RoomcastDrain(
        hub, PropertyMapping.drainTime(properties), webSocket.getIfAvailable());
  }
}
