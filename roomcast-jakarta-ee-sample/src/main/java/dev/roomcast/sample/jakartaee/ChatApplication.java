package dev.roomcast.sample.jakartaee;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The sample's JAX-RS resources live under {@code /api}. */
@ApplicationPath("/api")
public class ChatApplication extends Application {}
