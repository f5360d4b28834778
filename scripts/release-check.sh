#!/usr/bin/env bash
# Proves that a release build makes what Maven Central needs, and that a project outside this
# repository builds against it, without publishing anything:
#
#   1. copies the working tree to a scratch directory and sets a release version there
#      (versions:set, as docs/releasing.md does), so nothing here changes;
#   2. runs `-Prelease deploy` there: central-publishing-maven-plugin writes the Central Portal
#      bundle (roomcast-bom/target/central-publishing/central-bundle.zip) and uploads it to a
#      stand-in for the Portal on loopback (scripts/portal-stub.py), so nothing is published;
#      with MAVEN_GPG_KEY set (or RELEASE_CHECK_SIGN=1: a throwaway key made here) it is signed;
#   3. checks the bundle: every published module has its POM with the metadata Central requires,
#      its jar, sources and javadoc jars, checksums (and .asc signatures when signed); the example,
#      samples, benchmarks and test modules are not in it;
#   4. unpacks the bundle as a file repository and builds a consumer project against it: it imports
#      roomcast-bom, uses roomcast-core, roomcast-jakarta and the roomcast-js WebJar, and its tests
#      run a hub and load roomcast.js through the WebJar's webjar.properties. Its local
#      repository is empty for roomcast (the build's own cache is only a read-only tail, and the
#      release version was never installed), so the roomcast artifacts come from the bundle.
#
# usage: scripts/release-check.sh [VERSION]   (default 0.1.0)
# env:   MAVEN_REPO_LOCAL (default ~/.m2/repository), KEEP=1 keeps the scratch directory
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VERSION=${1:-0.1.0}
M2=${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/roomcast-release-check.XXXXXX")
if [ "${KEEP:-}" != 1 ]; then trap 'rm -rf "$WORK"' EXIT; fi
say() { printf '\n== %s\n' "$*"; }
fail() { printf 'RELEASE CHECK FAILED: %s\n' "$*" >&2; exit 1; }

PUBLISHED=(roomcast-parent roomcast-bom roomcast-core roomcast-redis roomcast-jakarta roomcast-grizzly
  roomcast-micrometer roomcast-cdi roomcast-spring-boot-autoconfigure roomcast-spring-boot-starter
  roomcast-js)
NOT_PUBLISHED=(roomcast-example roomcast-bench roomcast-containers-it roomcast-jakarta-ee-sample
  roomcast-spring-boot-sample)
# modules without code: no sources or javadoc jar (a POM, a BOM, a starter's dependencies)
NO_SOURCES=(roomcast-parent roomcast-bom roomcast-spring-boot-starter)

for a in "${PUBLISHED[@]}"; do
  [ ! -e "$M2/dev/roomcast/$a/$VERSION" ] \
    || fail "$M2 already holds dev.roomcast:$a:$VERSION; pick another version (argument 1)"
done

say "copying the working tree to $WORK/src"
mkdir -p "$WORK/src"
(cd "$ROOT" && git ls-files -co --exclude-standard -z | xargs -0 tar -cf - 2>/dev/null) \
  | tar -xf - -C "$WORK/src"
cd "$WORK/src"
MVN=(./mvnw -B -q "-Dmaven.repo.local=$M2")

say "setting version $VERSION"
"${MVN[@]}" versions:set -DnewVersion="$VERSION"
grep -q "<version>$VERSION</version>" roomcast-bom/pom.xml || fail "versions:set missed roomcast-bom"
! grep -rq --include=pom.xml -- '-SNAPSHOT' . || fail "a -SNAPSHOT is left: $(grep -rl --include=pom.xml -- -SNAPSHOT .)"

if [ "${RELEASE_CHECK_SIGN:-}" = 1 ] && [ -z "${MAVEN_GPG_KEY:-}" ]; then
  say "making a throwaway signing key"
  export GNUPGHOME="$WORK/gnupg"
  mkdir -m 700 "$GNUPGHOME"
  gpg --batch --quiet --passphrase '' --quick-gen-key 'roomcast release check <check@invalid>' \
    ed25519 sign never
  MAVEN_GPG_KEY=$(gpg --batch --armor --export-secret-keys)
  export MAVEN_GPG_KEY MAVEN_GPG_PASSPHRASE=''
fi
SIGNED=${MAVEN_GPG_KEY:+yes}

say "release build: -Prelease deploy, uploading to a stand-in (signed: ${SIGNED:-no})"
# The plugin reads the Portal token of server "central" even when it will not upload: give it
# one that cannot publish (with the user's settings, if any, for mirrors and the like).
SETTINGS="$WORK/settings.xml"
if [ -f "$HOME/.m2/settings.xml" ] && grep -q '<servers>' "$HOME/.m2/settings.xml"; then
  sed 's|<servers>|<servers><server><id>central</id><username>none</username><password>none</password></server>|' \
    "$HOME/.m2/settings.xml" >"$SETTINGS"
elif [ -f "$HOME/.m2/settings.xml" ]; then
  sed 's|</settings>|<servers><server><id>central</id><username>none</username><password>none</password></server></servers></settings>|' \
    "$HOME/.m2/settings.xml" >"$SETTINGS"
else
  printf '%s\n' '<settings><servers><server><id>central</id><username>none</username>' \
    '<password>none</password></server></servers></settings>' >"$SETTINGS"
fi
# The plugin has no switch that builds the bundle and skips only the upload (skipPublishing leaves
# every artifact out of it), so the upload goes to a stand-in for the Portal on loopback, which
# keeps what it was sent (scripts/portal-stub.py).
python3 "$ROOT/scripts/portal-stub.py" "$WORK/stub.port" "$WORK/uploaded.body" 2>"$WORK/stub.log" &
STUB=$!
trap 'kill $STUB 2>/dev/null || true; [ "${KEEP:-}" = 1 ] || rm -rf "$WORK"' EXIT
for _ in $(seq 100); do [ -s "$WORK/stub.port" ] && break; sleep 0.1; done
[ -s "$WORK/stub.port" ] || fail "the Portal stand-in did not start"
# no install: the release version must reach the consumer through the bundle alone
"${MVN[@]}" -s "$SETTINGS" -Prelease deploy -DskipTests -Djib.skip=true \
  -Dmaven.install.skip=true -DcentralBaseUrl="http://127.0.0.1:$(cat "$WORK/stub.port")" \
  -DwaitUntil=uploaded
kill $STUB 2>/dev/null || true
grep -q 'POST /api/v1/publisher/upload' "$WORK/stub.log" || fail "nothing was uploaded"
# the bundle is written under the first module built (roomcast-bom)
BUNDLE=$(find . -path '*/target/central-publishing/central-bundle.zip' | head -1)
[ -n "$BUNDLE" ] || fail "no central-bundle.zip"
size=$(stat -c %s "$BUNDLE")
[ "$(stat -c %s "$WORK/uploaded.body")" -gt "$size" ] || fail "the upload is smaller than the bundle"
echo "bundle $BUNDLE ($size bytes) uploaded to the stand-in: $(cat "$WORK/stub.log")"

say "checking the bundle"
REPO="$WORK/file-repo"
mkdir -p "$REPO"
(cd "$REPO" && unzip -q "$WORK/src/${BUNDLE#./}")
contains() { local x=$1; shift; for e in "$@"; do [ "$e" = "$x" ] && return 0; done; return 1; }
for a in "${PUBLISHED[@]}"; do
  dir="$REPO/dev/roomcast/$a/$VERSION"
  [ -d "$dir" ] || fail "$a is not in the bundle"
  files=("$a-$VERSION.pom")
  if ! contains "$a" roomcast-parent roomcast-bom; then files+=("$a-$VERSION.jar"); fi
  if ! contains "$a" "${NO_SOURCES[@]}"; then
    files+=("$a-$VERSION-sources.jar" "$a-$VERSION-javadoc.jar")
  fi
  for f in "${files[@]}"; do
    [ -s "$dir/$f" ] || fail "missing $a/$VERSION/$f"
    for sum in md5 sha1; do [ -s "$dir/$f.$sum" ] || fail "missing $f.$sum"; done
    if [ -n "$SIGNED" ]; then
      [ -s "$dir/$f.asc" ] || fail "missing $f.asc"
      if [ -n "${GNUPGHOME:-}" ]; then
        gpg --batch --quiet --verify "$dir/$f.asc" "$dir/$f" 2>/dev/null || fail "bad signature: $f"
      fi
    fi
  done
  pom="$dir/$a-$VERSION.pom"
  # the POM as a consumer sees it: with its parent's (inherited) metadata where it has a parent
  for tag in '<name>' '<description>' '<url>https://' '<license>' '<developer>' '<scm'; do
    if ! grep -q "$tag" "$pom" && ! grep -q "$tag" "$REPO/dev/roomcast/roomcast-parent/$VERSION/roomcast-parent-$VERSION.pom"; then
      fail "$a's POM (and its parent) lack $tag"
    fi
  done
  grep -q '<name>' "$pom" || fail "$a's POM has no name of its own"
  grep -q '<description>' "$pom" || fail "$a's POM has no description of its own"
  grep -q -- '-SNAPSHOT' "$pom" && fail "$a's POM refers to a -SNAPSHOT"
  echo "ok $a: ${#files[@]} files, checksums${SIGNED:+, signatures}"
done
for a in "${NOT_PUBLISHED[@]}"; do
  [ ! -e "$REPO/dev/roomcast/$a" ] || fail "$a is in the bundle but is not a library"
done
js="$REPO/dev/roomcast/roomcast-js/$VERSION/roomcast-js-$VERSION.jar"
# Read once, then grep the text: `unzip | grep -q` under pipefail fails when grep stops reading
# early and unzip dies of SIGPIPE.
listing=$(unzip -l "$js")
for f in roomcast.js roomcast.d.ts package.json; do
  grep -q "META-INF/resources/webjars/roomcast/$VERSION/$f" <<<"$listing" \
    || fail "the roomcast-js WebJar has no META-INF/resources/webjars/roomcast/$VERSION/$f"
done
package_json=$(unzip -p "$js" "META-INF/resources/webjars/roomcast/$VERSION/package.json")
grep -q "\"version\": \"$VERSION\"" <<<"$package_json" \
  || fail "the WebJar's package.json is not version $VERSION"

say "building a consumer project against the file repository"
C="$WORK/consumer"
mkdir -p "$C/src/test/java/com/example"
cat >"$C/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example</groupId>
  <artifactId>roomcast-consumer</artifactId>
  <version>1</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <repositories>
    <repository>
      <id>roomcast-bundle</id>
      <url>file://$REPO</url>
    </repository>
  </repositories>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>dev.roomcast</groupId>
        <artifactId>roomcast-bom</artifactId>
        <version>$VERSION</version>
        <type>pom</type>
        <scope>import</scope>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>dev.roomcast</groupId>
      <artifactId>roomcast-core</artifactId>
    </dependency>
    <dependency>
      <groupId>dev.roomcast</groupId>
      <artifactId>roomcast-jakarta</artifactId>
    </dependency>
    <dependency>
      <groupId>dev.roomcast</groupId>
      <artifactId>roomcast-js</artifactId>
    </dependency>
    <dependency>
      <groupId>org.junit.jupiter</groupId>
      <artifactId>junit-jupiter</artifactId>
      <version>5.14.4</version>
      <scope>test</scope>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <artifactId>maven-surefire-plugin</artifactId>
        <version>3.5.4</version>
      </plugin>
      <plugin>
        <artifactId>maven-compiler-plugin</artifactId>
        <version>3.14.1</version>
      </plugin>
    </plugins>
  </build>
</project>
EOF
cat >"$C/src/test/java/com/example/HubTest.java" <<'EOF'
package com.example;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roomcast.Connection;
import dev.roomcast.Hub;
import dev.roomcast.JoinRequest;
import dev.roomcast.jakarta.RoomcastEndpointConfig;
import dev.roomcast.spi.OutboundFrame;
import dev.roomcast.spi.Transport;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class HubTest {
  @Test
  void aPublishedMessageReachesAMember() throws Exception {
    List<String> frames = new CopyOnWriteArrayList<>();
    try (Hub hub = Hub.builder().build()) {
      Connection c =
          hub.join(
              JoinRequest.to("lobby"),
              new Transport() {
                @Override
                public void send(OutboundFrame frame, Transport.WriteCallback done) {
                  frames.add(frame.text());
                  done.completed(null);
                }

                @Override
                public void close(int code, String reason) {}
              });
      hub.publish("lobby", "{\"text\":\"from the bundle\"}");
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (frames.stream().noneMatch(f -> f.contains("from the bundle"))
          && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertTrue(frames.stream().anyMatch(f -> f.contains("from the bundle")), frames.toString());
      c.transportClosed();
    }
  }

  @Test
  void theJakartaAdapterIsOnTheClassPath() {
    assertTrue(RoomcastEndpointConfig.defaults() != null);
  }

  @Test
  void theWebJarLocatesTheBrowserClient() throws Exception {
    ClassLoader cl = HubTest.class.getClassLoader();
    java.util.Properties p = new java.util.Properties();
    try (var in = cl.getResourceAsStream("dev/roomcast/js/webjar.properties")) {
      p.load(in);
    }
    try (var in = cl.getResourceAsStream(p.getProperty("module"))) {
      String js = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(js.contains("export function connect("), js);
    }
  }
}
EOF
# An empty local repository for the consumer, the build's cache as its read-only tail (plugins,
# JUnit, Jackson): dev.roomcast:*:$VERSION is in neither, so it must come from the bundle.
(cd "$C" && "$WORK/src/mvnw" -B -q -f pom.xml "-Dmaven.repo.local=$WORK/consumer-m2" \
  "-Dmaven.repo.local.tail=$M2" test) || fail "the consumer build failed"
grep -q 'Tests run: 3, Failures: 0, Errors: 0, Skipped: 0' "$C"/target/surefire-reports/*.txt \
  || fail "the consumer's tests did not all pass"
for a in roomcast-bom roomcast-core roomcast-jakarta roomcast-js; do
  grep -q 'roomcast-bundle' "$WORK/consumer-m2/dev/roomcast/$a/$VERSION/_remote.repositories" \
    || fail "$a:$VERSION did not come from the bundle"
done
say "release check passed: $VERSION bundle with ${#PUBLISHED[@]} modules; the consumer built and its 3 tests passed"
