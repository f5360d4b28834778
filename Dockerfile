# The example server (roomcast-example) as a container image, for Cloud Run or anything that sets
# PORT. Build from the repository root:
#
#   docker build -t roomcast-example .
#   gcloud run deploy roomcast --source .        (Cloud Build builds this file)
#
# Without a Docker daemon, Jib builds the same image from Maven (docs/cloud-run.md):
#   ./mvnw -pl roomcast-example -am package jib:build -Dimage=REGION-docker.pkg.dev/PROJECT/REPO/roomcast-example
#
# roomcast-example's ContainerImageIT reads this file and checks it against the Jib image: same
# JVM flags, port, PORT variable and a non-root user.

# Build stage: the shaded jar, with the Maven wrapper (it fetches Maven itself).
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -pl roomcast-example -am package \
      -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -Dspotless.check.skip=true \
      -Djib.skip=true

# Runtime stage: a JRE and one jar.
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 roomcast \
 && useradd --system --uid 10001 --gid roomcast --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin roomcast
COPY --from=build /src/roomcast-example/target/roomcast-example.jar /app/roomcast-example.jar
# Cloud Run sets PORT itself; 8080 is the default elsewhere.
ENV PORT=8080
EXPOSE 8080
USER 10001:10001
# Exec form: java is PID 1 and gets SIGTERM, so the drain (1012 to every client) runs on deploys.
# Heap at 70% of the container's memory (about 358 MiB of 512 MiB) leaves room for threads, class
# metadata and socket buffers; on OutOfMemoryError exit so the platform restarts the instance.
# More flags: set JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=70", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/roomcast-example.jar"]
