/**
 * roomcast's core: rooms, the wire protocol, outboxes, resume, presence and the backplane SPI.
 * Exports the API ({@code dev.roomcast}) and the SPI ({@code dev.roomcast.spi}); {@code
 * dev.roomcast.internal} is not exported, so code outside this module cannot reach it when it runs
 * on the module path (on the class path, as most applications run, the package name says it).
 */
module dev.roomcast.core {
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  requires java.logging;

  exports dev.roomcast;
  exports dev.roomcast.spi;
}
