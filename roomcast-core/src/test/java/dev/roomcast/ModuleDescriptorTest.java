package dev.roomcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The compiled module descriptor exports the API and the SPI, and nothing internal. */
class ModuleDescriptorTest {

  @Test
  void onlyTheApiAndTheSpiAreExported() throws URISyntaxException {
    Path classes = Path.of(Hub.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ModuleDescriptor d =
        ModuleFinder.of(classes).find("dev.roomcast.core").orElseThrow().descriptor();
    assertThat(
            d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("dev.roomcast", "dev.roomcast.spi");
    assertThat(d.packages()).contains("dev.roomcast.internal");
    assertThat(d.opens()).isEmpty();
  }
}
