package dev.roomcast.cdi.internal;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.util.Set;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Found by the server in roomcast-cdi's jar ({@code META-INF/services}), for every web application
 * that has the jar: reads the settings (so bad configuration fails the deployment before anything
 * runs), registers the SSE servlet and adds {@link EndpointDeployer}, which deploys the WebSocket
 * endpoint while the application's listeners run.
 *
 * <p>Why here and not in a CDI observer: only an initializer may add servlets, and it runs before
 * any listener, so the hooks are in place whatever order the server fires CDI's events in.
 */
public final class RoomcastInitializer implements ServletContainerInitializer {
  private static final Logger LOG = Logger.getLogger("dev.roomcast.cdi");

  @Override
  public void onStartup(Set<Class<?>> classes, ServletContext context) {
    Settings settings = Settings.from(ConfigProvider.getConfig(context.getClassLoader()));
    context.addListener(new EndpointDeployer());
    if (settings.sseEnabled()) {
      ServletRegistration.Dynamic sse = context.addServlet("roomcast-sse", new CdiSseServlet());
      sse.setAsyncSupported(true);
      sse.addMapping(settings.ssePath() + "/*");
      LOG.info(() -> "roomcast Server-Sent Events at " + settings.ssePath() + "/{room}");
    }
  }
}
