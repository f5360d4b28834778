package dev.roomcast.cdi.internal;

import dev.roomcast.jakarta.servlet.RoomcastSseServlet;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;

/**
 * roomcast-jakarta's {@link RoomcastSseServlet} on the CDI runtime's SSE endpoint. Registered by
 * {@link RoomcastInitializer} before CDI beans may be created, so the endpoint is looked up when
 * the server initializes the servlet rather than when it is registered.
 */
final class CdiSseServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private transient RoomcastSseServlet delegate;

  @Override
  public void init(ServletConfig config) throws ServletException {
    super.init(config);
    delegate = new RoomcastSseServlet(CDI.current().select(RoomcastRuntime.class).get().sse());
    delegate.init(config);
  }

  @Override
  public void service(ServletRequest req, ServletResponse res)
      throws ServletException, IOException {
    delegate.service(req, res);
  }

  @Override
  public void destroy() {
    if (delegate != null) {
      delegate.destroy();
    }
  }
}
