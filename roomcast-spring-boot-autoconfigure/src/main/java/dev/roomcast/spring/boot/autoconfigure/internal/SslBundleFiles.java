package dev.roomcast.spring.boot.autoconfigure.internal;

import dev.roomcast.spring.boot.autoconfigure.InvalidRoomcastPropertyException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.stream.Stream;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslStoreBundle;

/**
 * A Spring Boot {@link SslBundle}'s trust store and key store written as PKCS12 files, because the
 * Redis backplane (through Jedis' {@code SslOptions}) reads stores from files. The files live in a
 * new directory readable by this user only, under a fresh random password, and {@link #close()}
 * deletes them (the auto-configuration does when the application stops).
 *
 * <p>The key store is rebuilt entry by entry under the new password (the bundle's key alias, if it
 * names one, selects a single entry), since a PKCS12 file protects each key with its own password.
 *
 * <p>Immutable after {@link #write}; {@link #close()} is idempotent.
 */
public final class SslBundleFiles implements AutoCloseable {
  private final Path dir;
  private final Path trustStore;
  private final Path keyStore;
  private final char[] password;

  private SslBundleFiles(Path dir, Path trustStore, Path keyStore, char[] password) {
    this.dir = dir;
    this.trustStore = trustStore;
    this.keyStore = keyStore;
    this.password = password;
  }

  /**
   * @throws InvalidRoomcastPropertyException when the bundle's stores cannot be read or written
   */
  static SslBundleFiles write(String name, SslBundle bundle) {
    String property = "spring.data.redis.ssl.bundle";
    SslStoreBundle stores = bundle.getStores();
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    char[] password = Base64.getUrlEncoder().withoutPadding().encodeToString(random).toCharArray();
    Path dir = null;
    try {
      dir =
          FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
              ? Files.createTempDirectory(
                  "roomcast-ssl-",
                  PosixFilePermissions.asFileAttribute(
                      PosixFilePermissions.fromString("rwx------")))
              : Files.createTempDirectory("roomcast-ssl-");
      Path trust = null;
      if (stores.getTrustStore() != null) {
        trust = dir.resolve("truststore.p12");
        store(copyCertificates(stores.getTrustStore()), trust, password);
      }
      Path keys = null;
      if (stores.getKeyStore() != null) {
        keys = dir.resolve("keystore.p12");
        store(copyKeys(stores, bundle.getKey(), password), keys, password);
      }
      return new SslBundleFiles(dir, trust, keys, password);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      deleteTree(dir);
      throw new InvalidRoomcastPropertyException(
          property, "cannot use the stores of SSL bundle '" + name + "': " + e.getMessage(), e);
    }
  }

  /** The trust store file, or {@code null} when the bundle has none (the JVM's is used). */
  public Path trustStore() {
    return trustStore;
  }

  /** The key store file (client certificate), or {@code null}. */
  public Path keyStore() {
    return keyStore;
  }

  /** The password of both files. */
  public char[] password() {
    return password.clone();
  }

  /** Deletes the files. */
  @Override
  public void close() {
    deleteTree(dir);
  }

  private static KeyStore copyCertificates(KeyStore source)
      throws GeneralSecurityException, IOException {
    KeyStore target = emptyPkcs12();
    for (String alias : Collections.list(source.aliases())) {
      Certificate c = source.getCertificate(alias);
      if (c != null) {
        target.setCertificateEntry(alias, c);
      }
    }
    return target;
  }

  private static KeyStore copyKeys(SslStoreBundle stores, SslBundleKey key, char[] password)
      throws GeneralSecurityException, IOException {
    KeyStore source = stores.getKeyStore();
    String keyPassword =
        key != null && key.getPassword() != null ? key.getPassword() : stores.getKeyStorePassword();
    char[] sourcePassword = keyPassword == null ? new char[0] : keyPassword.toCharArray();
    String only = key == null ? null : key.getAlias();
    KeyStore target = emptyPkcs12();
    for (String alias : Collections.list(source.aliases())) {
      if ((only != null && !only.equals(alias)) || !source.isKeyEntry(alias)) {
        continue;
      }
      Key k = source.getKey(alias, sourcePassword);
      target.setKeyEntry(alias, k, password, source.getCertificateChain(alias));
    }
    if (target.size() == 0) {
      throw new GeneralSecurityException(
          only != null
              ? "no key entry with alias '" + only + "'"
              : "the key store has no key entry");
    }
    return target;
  }

  private static KeyStore emptyPkcs12() throws GeneralSecurityException, IOException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    return ks;
  }

  private static void store(KeyStore ks, Path file, char[] password)
      throws GeneralSecurityException, IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      ks.store(out, password);
    }
  }

  private static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: the directory is readable by this user only
    }
  }
}
