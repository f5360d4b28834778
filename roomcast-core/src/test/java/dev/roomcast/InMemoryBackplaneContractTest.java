package dev.roomcast;

import dev.roomcast.spi.Backplane;
import dev.roomcast.spi.contract.BackplaneContract;

/** The in-memory backplane passes the shared contract; all "instances" share one medium. */
class InMemoryBackplaneContractTest extends BackplaneContract {
  private final InMemoryBackplane shared = InMemoryBackplane.create(100, 10_000);

  @Override
  protected Backplane newBackplane() {
    return shared;
  }

  @Override
  protected int historySize() {
    return 100;
  }

  @Override
  protected void outage() {
    shared.setReachable(false);
  }

  @Override
  protected void restore() {
    shared.setReachable(true);
  }
}
